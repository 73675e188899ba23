package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;

/** Checks a document against the required fields and types of HAR 1.2 (softwareishard.com/blog/har-12-spec). */
final class HarAssertions {
    private HarAssertions() {
    }

    static void assertValidHar(JsonNode har) {
        JsonNode log = har.path("log");
        assertThat(log.isObject()).as("HAR: a 'log' object").isTrue();
        assertThat(log.path("version").asText()).as("log.version").isEqualTo("1.2");
        requireText(log.path("creator"), "log.creator", "name", "version");
        assertThat(log.path("entries").isArray()).as("log.entries is an array").isTrue();
        int i = 0;
        for (JsonNode e : log.path("entries")) {
            String at = "log.entries[" + i++ + "]";
            requireText(e, at, "startedDateTime");
            assertThat(OffsetDateTime.parse(e.path("startedDateTime").asText())).as("%s.startedDateTime is ISO 8601", at).isNotNull();
            assertThat(e.path("time").isNumber()).as("%s.time is a number", at).isTrue();
            assertThat(e.path("cache").isObject()).as("%s.cache", at).isTrue();

            JsonNode req = e.path("request");
            requireText(req, at + ".request", "method", "url", "httpVersion");
            requireArrays(req, at + ".request", "cookies", "headers", "queryString");
            requireNumbers(req, at + ".request", "headersSize", "bodySize");
            if (req.has("postData")) {
                requireText(req.path("postData"), at + ".request.postData", "mimeType");
            }
            for (JsonNode h : req.path("headers")) {
                requireText(h, at + ".request.headers[]", "name", "value");
            }

            JsonNode res = e.path("response");
            assertThat(res.path("status").isInt()).as("%s.response.status", at).isTrue();
            requireText(res, at + ".response", "statusText", "httpVersion", "redirectURL");
            requireArrays(res, at + ".response", "cookies", "headers");
            requireNumbers(res, at + ".response", "headersSize", "bodySize");
            JsonNode content = res.path("content");
            assertThat(content.path("size").isNumber()).as("%s.response.content.size", at).isTrue();
            requireText(content, at + ".response.content", "mimeType");

            JsonNode timings = e.path("timings");
            requireNumbers(timings, at + ".timings", "send", "wait", "receive");
            for (String k : List.of("blocked", "dns", "connect", "ssl")) {
                if (timings.has(k)) {
                    assertThat(timings.path(k).asDouble()).as("%s.timings.%s is -1 or more", at, k).isGreaterThanOrEqualTo(-1);
                }
            }
            e.fieldNames().forEachRemaining(name -> assertThat(List.of("pageref", "startedDateTime", "time", "request",
                    "response", "cache", "timings", "serverIPAddress", "connection", "comment").contains(name)
                    || name.startsWith("_")).as("%s.%s is a HAR field or a custom _field", at, name).isTrue());
        }
    }

    private static void requireText(JsonNode n, String at, String... fields) {
        for (String f : fields) {
            assertThat(n.path(f).isTextual()).as("%s.%s is a string (got %s)", at, f, n.path(f)).isTrue();
        }
    }

    private static void requireArrays(JsonNode n, String at, String... fields) {
        for (String f : fields) {
            assertThat(n.path(f).isArray()).as("%s.%s is an array", at, f).isTrue();
        }
    }

    private static void requireNumbers(JsonNode n, String at, String... fields) {
        for (String f : fields) {
            assertThat(n.path(f).isNumber()).as("%s.%s is a number (got %s)", at, f, n.path(f)).isTrue();
        }
    }
}
