package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.Decision;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.JsonLinesEventWriter;
import org.mitmlab.pki.NationalPki;

/** The dashboard over a file another process writes: how the Docker lab's isp box is watched. */
class FileDashboardTest {
    @TempDir
    Path dir;

    @Test
    void eventsAppendedByAnotherWriterShowUpOnTheDashboard() throws Exception {
        X509Certificate root = NationalPki.generate(Clock.systemUTC(), new SecureRandom(), NationalPki.DEFAULT_VALIDITY)
                .root().certificate();
        Path events = dir.resolve("events.jsonl");
        TestEvents t = new TestEvents();
        try (JsonLinesEventWriter isp = new JsonLinesEventWriter(events, 1 << 20, 2, new EventJson());
                FileDashboard dashboard = FileDashboard.start(events, root, DomainCatalogue.kz2019()::isTargeted, 0)) {
            assertThat(dashboard.url()).as("the dashboard listens on loopback").startsWith("http://127.0.0.1:");
            isp.emit(t.opened("isp-1", "172.30.1.10:40000"));
            isp.emit(t.decided("isp-1", "vk.com", Decision.INTERCEPT));
            isp.emit(t.exchange("isp-1", "vk.com", "POST", "/login", 200, Map.of("username", "alice", "password", "s3cret")));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String body = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && !body.contains("s3cret")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/events"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                body = r.body();
                Thread.sleep(100);
            }
            assertThat(body).as("events the isp wrote to its file, as the dashboard API shows them")
                    .contains("isp-1").contains("vk.com").contains("s3cret");
        }
    }
}
