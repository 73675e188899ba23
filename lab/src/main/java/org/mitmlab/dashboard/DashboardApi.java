package org.mitmlab.dashboard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.EventLog;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.pki.PkiException;

/**
 * The JSON answers of the dashboard's {@code /api/...} paths, computed from the lab's in-memory
 * {@link EventLog}. Pure functions of that log (plus the clock), called off the event loop.
 */
final class DashboardApi {
    static final int DEFAULT_EVENT_LIMIT = 500;
    private static final Map<Class<?>, String> TYPE_NAMES = typeNames();

    private final EventLog log;
    private final Predicate<String> targeted;
    private final X509Certificate nationalRoot;
    private final Clock clock;
    private final EventJson json;
    private final ObjectWriter eventsWriter;

    DashboardApi(EventLog log, Predicate<String> targeted, X509Certificate nationalRoot, Clock clock, EventJson json) {
        this.log = log;
        this.targeted = targeted;
        this.nationalRoot = nationalRoot;
        this.clock = clock;
        this.json = json;
        // the element type must be known for Jackson to write each event's "type"
        this.eventsWriter = json.mapper().writerFor(new TypeReference<List<FlowEvent>>() { });
    }

    /** One answer: a status, a content type and the bytes. */
    record Answer(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer json(HttpResponseStatus status, byte[] body) {
            return new Answer(status, "application/json; charset=utf-8", body, Map.of());
        }
    }

    /**
     * The newest events, oldest first, exactly as in events.jsonl.
     *
     * @param flowId  only this flow's events, when not null
     * @param type    only events of this type ("http-exchange"), when not null
     */
    Answer events(String flowId, String type, int limit) {
        List<FlowEvent> all = log.snapshot();
        List<FlowEvent> picked = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && picked.size() < limit; i--) {
            FlowEvent e = all.get(i);
            if ((flowId == null || e.flowId().equals(flowId)) && (type == null || typeOf(e).equals(type))) {
                picked.add(e);
            }
        }
        java.util.Collections.reverse(picked);
        try {
            return Answer.json(HttpResponseStatus.OK, eventsWriter.writeValueAsBytes(picked));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flow table of the events in memory (the same rows the page and {@code watch} show). */
    Answer flows() {
        return write(FlowRows.of(log.snapshot()));
    }

    /** The genuine and forged certificate of {@code flowId}, compared; 404 when the flow was not intercepted. */
    Answer certificates(String flowId) {
        List<CertificateForged> forged = log.ofType(CertificateForged.class, c -> c.flowId().equals(flowId));
        if (forged.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no forged certificate recorded for flow " + flowId
                    + " (only intercepted flows have one, and only recent flows are kept in memory)");
        }
        try {
            return write(CertificateComparison.of(forged.get(forged.size() - 1)));
        } catch (PkiException | IllegalArgumentException e) {
            return error(HttpResponseStatus.UNPROCESSABLE_ENTITY, "cannot compare the certificates of flow " + flowId + ": "
                    + e.getMessage());
        }
    }

    Answer overview() {
        return write(Overview.of(log.snapshot(), targeted, nationalRoot, clock.instant()));
    }

    /** Every recorded request in memory, as a HAR file to download. */
    Answer har() {
        byte[] body;
        try {
            body = json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new HarExport(json.mapper(), HarExport.currentVersion()).build(log.snapshot()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return new Answer(HttpResponseStatus.OK, "application/json; charset=utf-8", body,
                Map.of("content-disposition", "attachment; filename=\"mitmlab.har\""));
    }

    Answer error(HttpResponseStatus status, String message) {
        return write(status, Map.of("error", message));
    }

    private Answer write(Object value) {
        return write(HttpResponseStatus.OK, value);
    }

    private Answer write(HttpResponseStatus status, Object value) {
        try {
            return Answer.json(status, json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "type" an event has in events.jsonl ("http-exchange"), from the event model's own mapping. */
    static String typeOf(FlowEvent e) {
        return TYPE_NAMES.get(e.getClass());
    }

    private static Map<Class<?>, String> typeNames() {
        Map<Class<?>, String> names = new java.util.HashMap<>();
        for (JsonSubTypes.Type t : FlowEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            names.put(t.value(), t.name());
        }
        return Map.copyOf(names);
    }
}
