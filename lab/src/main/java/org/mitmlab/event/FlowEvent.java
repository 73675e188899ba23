package org.mitmlab.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Something that happened to one flow (client connection), or to the lab as a whole (flow id
 * "lab": start, timeline phases). Every event names its flow and time.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConnectionOpened.class, name = "connection-opened"),
    @JsonSubTypes.Type(value = DecisionMade.class, name = "decision"),
    @JsonSubTypes.Type(value = CertificateForged.class, name = "certificate-forged"),
    @JsonSubTypes.Type(value = HttpExchange.class, name = "http-exchange"),
    @JsonSubTypes.Type(value = ClientRejectedCertificate.class, name = "client-rejected-certificate"),
    @JsonSubTypes.Type(value = Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = ConnectionFailed.class, name = "connection-failed"),
    @JsonSubTypes.Type(value = ConnectionClosed.class, name = "connection-closed"),
    @JsonSubTypes.Type(value = LabStarted.class, name = "lab-started"),
    @JsonSubTypes.Type(value = PhaseChanged.class, name = "phase-changed"),
    @JsonSubTypes.Type(value = VantageQueried.class, name = "vantage-queried"),
})
public sealed interface FlowEvent permits ConnectionOpened, DecisionMade, CertificateForged, HttpExchange,
        ClientRejectedCertificate, Refused, ConnectionFailed, ConnectionClosed, LabStarted, PhaseChanged,
        VantageQueried {
    String flowId();

    Instant time();
}
