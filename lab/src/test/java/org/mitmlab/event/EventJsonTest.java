package org.mitmlab.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every flow event survives the events file: JSON with a "type" field, and back to an equal record. */
class EventJsonTest {
    private static final EventJson JSON = new EventJson();
    private static final Instant T = Instant.parse("2019-07-18T10:15:30.123456789Z");

    static Stream<Arguments> samples() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", "alice@example.kz");
        form.put("password", "päss wörd");
        return Stream.of(
                Arguments.of("connection-opened", new ConnectionOpened("f1", T, "127.0.0.1:53122", "127.0.0.1:8080")),
                Arguments.of("decision", new DecisionMade("f1", T, "vk.com", "vk.com:443", List.of("h2", "http/1.1"),
                        Decision.INTERCEPT, "vk.com is targeted")),
                Arguments.of("decision", new DecisionMade("f2", T, null, "halykbank.kz:443", List.of(),
                        Decision.PASS_THROUGH, "no SNI: relayed untouched")),
                Arguments.of("decision", new DecisionMade("f3", T, "example.org", "example.org:443", List.of("h2"),
                        Decision.REFUSE, "outside the lab")),
                Arguments.of("decision", new DecisionMade("f4", T, null, "http://vk.com/", List.of(),
                        Decision.PLAIN_HTTP, "plain HTTP")),
                Arguments.of("certificate-forged", new CertificateForged("f1", T, "vk.com", "CN=vk.com",
                        "CN=GlobalSign", "CN=Security Certificate", "aa:bb", "cc:dd", "kz2019", false, 12.5,
                        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n")),
                Arguments.of("http-exchange", new HttpExchange("f1", T, "HTTP/2", "POST", "https", "vk.com", "/login",
                        302, 42, 0, List.of(new HeaderField(":method", "POST"), new HeaderField("cookie", "a=1"),
                                new HeaderField("cookie", "b=2")),
                        List.of(new HeaderField("location", "/inbox")), form, "", 3.25)),
                Arguments.of("client-rejected-certificate", new ClientRejectedCertificate("f5", T, "vk.com",
                        "127.0.0.1:53123", "unknown_ca", "the client does not trust the national root")),
                Arguments.of("refused", new Refused("f6", T, "127.0.0.1:53124", "example.org:443", "outside the lab")),
                Arguments.of("refused", new Refused("f7", T, "127.0.0.1:53125", null, "no SNI")),
                Arguments.of("connection-failed", new ConnectionFailed("f8", T, "upstream-tls", "certificate_unknown")),
                Arguments.of("connection-closed", new ConnectionClosed("f1", T, 1234, 56789, 1500.75)),
                Arguments.of("lab-started", new LabStarted(LabStarted.FLOW, T, "hunt", "alice@uni.example", "embedded",
                        "b5ba8dd7f89564c2889d3d6453c84998c77824919b64ea0835aa62986591be50", false)),
                Arguments.of("phase-changed", new PhaseChanged(LabStarted.FLOW, T, "kz-2019", "pause", "2019-07-26", false,
                        "A pause of about 4 days.")),
                Arguments.of("vantage-queried", new VantageQueried("vantage-1", T, "vk.com", "ok")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("samples")
    void roundTrips(String type, FlowEvent event) throws Exception {
        String line = JSON.toJson(event);
        assertThat(line).doesNotContain("\n");
        JsonNode node = JSON.mapper().readTree(line);
        assertThat(node.get("type").asText()).isEqualTo(type);
        assertThat(node.get("flowId").asText()).isEqualTo(event.flowId());
        assertThat(node.get("time").asText()).as("ISO-8601, not a number").isEqualTo("2019-07-18T10:15:30.123456789Z");

        FlowEvent back = JSON.fromJson(line);
        assertThat(back).isInstanceOf(event.getClass()).isEqualTo(event);
        assertThat(JSON.toJson(back)).isEqualTo(line);
    }

    @Test
    void everySubtypeIsCoveredWithADistinctTypeName() {
        Set<Class<?>> covered = samples().map(a -> a.get()[1].getClass()).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(FlowEvent.class.getPermittedSubclasses()));
        Map<Class<?>, Set<String>> names = samples().collect(Collectors.groupingBy(a -> a.get()[1].getClass(),
                Collectors.mapping(a -> (String) a.get()[0], Collectors.toSet())));
        assertThat(names.values()).allSatisfy(n -> assertThat(n).hasSize(1));
        assertThat(names.values().stream().flatMap(Set::stream).collect(Collectors.toSet())).hasSize(names.size());
    }

    @Test
    void decisionsUseTheirLabels() throws Exception {
        for (Decision d : Decision.values()) {
            String line = JSON.toJson(new DecisionMade("f", T, "vk.com", "vk.com:443", null, d, "r"));
            assertThat(JSON.mapper().readTree(line).get("decision").asText()).isEqualTo(d.label());
            assertThat(((DecisionMade) JSON.fromJson(line)).decision()).isEqualTo(d);
        }
        assertThat(Decision.PASS_THROUGH.label()).isEqualTo("pass-through");
    }

    @Test
    void nullAlpnBecomesEmptyList() {
        DecisionMade d = new DecisionMade("f", T, "vk.com", "vk.com:443", null, Decision.INTERCEPT, "r");
        assertThat(d.alpnOffered()).isEmpty();
        assertThat(((DecisionMade) JSON.fromJson(JSON.toJson(d))).alpnOffered()).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        String line = "{\"type\":\"refused\",\"flowId\":\"f\",\"time\":\"2019-07-18T10:15:30Z\",\"client\":\"c\","
                + "\"destination\":\"d\",\"reason\":\"r\",\"addedLater\":{\"x\":1}}";
        assertThat(JSON.fromJson(line)).isEqualTo(new Refused("f", Instant.parse("2019-07-18T10:15:30Z"), "c", "d", "r"));
    }

    @Test
    void badLinesAreRejectedWithAMessage() {
        assertThatThrownBy(() -> JSON.fromJson("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a flow event");
        assertThatThrownBy(() -> JSON.fromJson("{\"type\":\"no-such-event\",\"flowId\":\"f\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a flow event");
        assertThatThrownBy(() -> JSON.fromJson("{\"flowId\":\"f\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
