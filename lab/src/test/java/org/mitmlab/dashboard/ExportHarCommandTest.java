package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.Decision;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;

/** {@code mitmlab export har}: valid HAR 1.2 from the recorded exchanges, rotated files included. */
class ExportHarCommandTest {
    @TempDir
    Path dir;

    private final EventJson json = new EventJson();
    private final TestEvents ev = new TestEvents();

    @Test
    void writesValidHarWithTheForgedCertificateAndTheCapturedForm() throws IOException {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        // the older half went to a rotated file, as the lab's writer does at its size cap
        write(state.resolve("events.1.jsonl"), List.of(ev.opened("f1", "127.0.0.1:5000"),
                ev.decided("f1", "mail.ru", Decision.INTERCEPT), ev.forged("f1", "mail.ru"),
                ev.exchange("f1", "mail.ru", "GET", "/?lang=kk&x=1", 200, Map.of())));
        write(state.resolve("events.jsonl"), List.of(
                ev.exchange("f1", "mail.ru", "POST", "/login", 302, Map.of("username", "alice", "password", "s3cret")),
                ev.decided("p1", "halykbank.kz", Decision.PASS_THROUGH)));
        Files.writeString(state.resolve("events.jsonl"), "{\"type\":\"from-the-future\"}\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        Path out = dir.resolve("lab.har");
        WatchCommandTest.Run run = WatchCommandTest.run("export", "har", "--state-dir", state.toString(), "--out", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Wrote 2 requests to " + out);
        assertThat(run.err()).contains("1 lines were not flow events");
        assertThat(Files.getPosixFilePermissions(out)).as("captured passwords: the owner's only")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        JsonNode har = DashboardLab.JSON.readTree(out.toFile());
        HarAssertions.assertValidHar(har);
        JsonNode entries = har.path("log").path("entries");
        assertThat(entries.size()).isEqualTo(2);
        JsonNode get = entries.get(0);
        assertThat(get.path("request").path("url").asText()).isEqualTo("https://mail.ru/?lang=kk&x=1");
        assertThat(get.path("request").path("httpVersion").asText()).isEqualTo("HTTP/2.0");
        assertThat(get.path("request").path("queryString")).hasSize(2);
        assertThat(get.path("request").path("cookies").get(0).path("name").asText()).isEqualTo("sid");
        assertThat(get.path("response").path("cookies").get(0).path("value").asText()).isEqualTo("xyz");
        assertThat(get.path("response").path("content").path("text").asText()).isEqualTo("<html>hello</html>");
        JsonNode custom = get.path("_mitmlab");
        assertThat(custom.path("client").asText()).isEqualTo("127.0.0.1:5000");
        assertThat(custom.path("decision").asText()).isEqualTo("intercept");
        assertThat(custom.path("certificate").path("forgedIssuer").asText()).isEqualTo("CN=Security Certificate,C=KZ");
        assertThat(custom.path("certificate").path("profile").asText()).isEqualTo("kz-2019");

        JsonNode login = entries.get(1);
        assertThat(login.path("response").path("statusText").asText()).isEqualTo("Found");
        JsonNode post = login.path("request").path("postData");
        assertThat(post.path("mimeType").asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(post.path("text").asText()).isEqualTo("password=s3cret&username=alice");
        assertThat(post.path("params")).hasSize(2);
        assertThat(login.path("_mitmlab").path("formFields").path("password").asText()).isEqualTo("s3cret");
    }

    @Test
    void namingBothSourcesOrNoneThatExistsIsAUserError() {
        WatchCommandTest.Run both = WatchCommandTest.run("export", "har", "--state-dir", dir.toString(), "--events",
                dir.resolve("e.jsonl").toString(), "--out", dir.resolve("x.har").toString());
        assertThat(both.code()).isEqualTo(3);
        assertThat(both.err()).contains("give one of them");
        WatchCommandTest.Run none = WatchCommandTest.run("export", "har", "--state-dir", dir.resolve("empty").toString(),
                "--out", dir.resolve("x.har").toString());
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).contains("no events in");
        WatchCommandTest.Run noOut = WatchCommandTest.run("export", "har");
        assertThat(noOut.code()).as("--out is required").isEqualTo(2);
    }

    private void write(Path file, List<FlowEvent> events) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (FlowEvent e : events) {
            sb.append(json.toJson(e)).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }
}
