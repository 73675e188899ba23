package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.Decision;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.LabInfo;
import org.mitmlab.pki.Fingerprint;

/**
 * The dashboard's API through a real embedded lab: traffic from JDK HttpClients through the proxy
 * (one user with the national root, one without), then what the page reads from the dashboard.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardServerTest {
    @TempDir
    static Path state;

    private static DashboardLab lab;

    @BeforeAll
    static void startLab() throws InterruptedException {
        lab = DashboardLab.start(state);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void pageIsServedWithItsScriptAndAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = lab.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("content-security-policy")).as("the page runs only its own script")
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").contains("default-src 'none'"));
        assertThat(page.body()).contains("<script src=\"/dashboard.js\"").contains("id=\"flow-rows\"");
        assertThat(lab.get("/dashboard.js").statusCode()).isEqualTo(200);
        assertThat(lab.get("/dashboard.css").statusCode()).isEqualTo(200);
        HttpResponse<String> missing = lab.get("/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(DashboardLab.JSON.readTree(missing.body()).path("error").asText()).contains("/nothing-here");
    }

    @Test
    void eventsApiShowsThePasswordTheBoxRead() throws Exception {
        assertThat(lab.login("mail.ru", "alice", "s3cret")).isEqualTo(200);
        HttpExchange login = lab.await(HttpExchange.class, x -> x.host().equals("mail.ru") && x.path().equals("/login"),
                "the mail.ru login exchange");
        JsonNode events = lab.getJson("/api/events?type=http-exchange&flow=" + login.flowId());
        assertThat(events.isArray()).isTrue();
        assertThat(events).as("the flow's exchanges, as in events.jsonl").isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("http-exchange"));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("formFields").path("password").asText()).as("what the box operator reads").isEqualTo("s3cret");
        assertThat(last.path("formFields").path("username").asText()).isEqualTo("alice");

        JsonNode limited = lab.getJson("/api/events?limit=2");
        assertThat(limited.size()).as("?limit caps the answer").isLessThanOrEqualTo(2);
    }

    @Test
    void streamDeliversANewFlowEventWithinSeconds() throws Exception {
        try (SseTestClient sse = SseTestClient.open(lab.dashboard.address().getPort(), "/api/stream?backlog=0", null)) {
            assertThat(sse.head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream");
            SseTestClient.Message hello = sse.awaitMessage(m -> "hello".equals(m.event()), Duration.ofSeconds(5))
                    .orElseThrow(() -> new AssertionError("no hello on the stream"));
            assertThat(hello.json().path("instance").asText()).isNotBlank();

            String path = "/?sse=" + System.nanoTime();
            assertThat(lab.visit("vk.com", path)).isEqualTo(200);
            Optional<SseTestClient.Message> exchange = sse.awaitMessage(m -> "flow".equals(m.event())
                    && m.json().path("event").path("type").asText().equals("http-exchange")
                    && m.json().path("event").path("path").asText().equals(path), Duration.ofSeconds(10));
            assertThat(exchange).as("the stream pushed the new exchange within 10 s; got %s", sse.received).isPresent();
            JsonNode message = exchange.get().json();
            assertThat(exchange.get().id()).as("the SSE id is the message's sequence number")
                    .isEqualTo(message.path("seq").asText());
            JsonNode row = message.path("rows").get(0);
            assertThat(row.path("domain").asText()).isEqualTo("vk.com");
            assertThat(row.path("decision").asText()).isEqualTo("intercept");
            assertThat(row.path("method").asText()).isEqualTo("GET");
            assertThat(row.path("path").asText()).isEqualTo(path);
            assertThat(row.path("status").asInt()).isEqualTo(200);
            assertThat(row.path("forged").asBoolean()).as("an intercepted flow has a certificate to compare").isTrue();

            // a page that reconnects with Last-Event-ID gets what it missed, and nothing twice
            long seq = message.path("seq").asLong();
            try (SseTestClient again = SseTestClient.open(lab.dashboard.address().getPort(), "/api/stream",
                    Long.toString(seq - 1))) {
                SseTestClient.Message first = again.awaitMessage(m -> "flow".equals(m.event()), Duration.ofSeconds(5))
                        .orElseThrow(() -> new AssertionError("no replay after Last-Event-ID"));
                assertThat(first.json().path("seq").asLong()).isEqualTo(seq);
            }
        }
    }

    @Test
    void certificateComparisonFlagsIssuerKeyAndValidityAndNotTheCopiedNames() throws Exception {
        assertThat(lab.visit("facebook.com", "/")).isEqualTo(200);
        CertificateForged forged = lab.await(CertificateForged.class, c -> c.sni().equals("facebook.com"),
                "a forged certificate for facebook.com");
        JsonNode c = lab.getJson("/api/certificates/" + forged.flowId());
        assertThat(c.path("sni").asText()).isEqualTo("facebook.com");
        assertThat(differs(c, "issuer")).as("issuer: the national intermediate signed the forgery").isTrue();
        assertThat(differs(c, "publicKey")).as("key: the site's EC key vs the box's RSA key").isTrue();
        assertThat(differs(c, "spkiSha256")).as("key hash").isTrue();
        assertThat(differs(c, "notBefore")).as("validity start (moved back 6 h)").isTrue();
        assertThat(differs(c, "notAfter")).as("validity end").isTrue();
        assertThat(differs(c, "sha256")).as("fingerprint").isTrue();
        assertThat(differs(c, "subject")).as("subject: copied byte for byte").isFalse();
        assertThat(differs(c, "subjectAltNames")).as("SAN: copied").isFalse();
        assertThat(field(c, "subjectAltNames").path("genuine").asText()).contains("DNS:facebook.com");
        assertThat(field(c, "issuer").path("forged").asText()).contains("CN=Security Certificate");
        assertThat(field(c, "rsaExponent").path("forged").asText()).as("the 2019 box's e = 3").isEqualTo("3");
        assertThat(field(c, "ext.2.5.29.15").path("genuine").asText()).as("key usage of the genuine leaf").startsWith("critical: ");
        assertThat(field(c, "ext.2.5.29.15").path("forged").asText()).as("kz-2019 drops the critical flag").startsWith("not critical: ");
        assertThat(field(c, "ext.2.5.29.31").path("forged").isNull()).as("CRL distribution points dropped").isTrue();
        assertThat(c.path("differing").asInt()).isEqualTo(countDiffering(c));
    }

    @Test
    void certificatesOfAFlowThatWasNotInterceptedAreNotFound() throws Exception {
        assertThat(lab.get("/api/certificates/no-such-flow").statusCode()).isEqualTo(404);
        assertThat(lab.get("/api/certificates/bad%20id").statusCode()).isEqualTo(400);
    }

    @Test
    void overviewCountsDomainsAndClientsWhoAcceptedOrRefusedTheRoot() throws Exception {
        assertThat(lab.visit("vk.com", "/")).isEqualTo(200);
        assertThat(lab.visitRefusingRoot("twitter.com")).as("a user without the root gets a certificate error").isTrue();
        assertThat(lab.visit("halykbank.kz", "/")).isEqualTo(200);
        lab.await(ClientRejectedCertificate.class, r -> r.sni().equals("twitter.com"), "the rejection of twitter.com");
        lab.await(DecisionMade.class, d -> "halykbank.kz".equals(d.sni()) && d.decision() == Decision.PASS_THROUGH,
                "halykbank.kz passed through");

        JsonNode o = lab.getJson("/api/overview");
        assertThat(o.path("nationalRoot").path("sha256").asText()).as("the root's fingerprint, as the banner prints it")
                .isEqualTo(Fingerprint.of(lab.lab.nationalRoot()).colonHex());
        assertThat(o.path("clients").path("accepted").asInt()).as("clients that accepted a forged certificate").isPositive();
        assertThat(o.path("clients").path("refused").asInt()).as("clients that refused it").isPositive();
        JsonNode vk = domain(o, "vk.com");
        assertThat(vk.path("targeted").asBoolean()).isTrue();
        assertThat(vk.path("intercepted").asInt()).isPositive();
        assertThat(vk.path("accepted").asInt()).isPositive();
        JsonNode twitter = domain(o, "twitter.com");
        assertThat(twitter.path("rejected").asInt()).isPositive();
        JsonNode halyk = domain(o, "halykbank.kz");
        assertThat(halyk.path("targeted").asBoolean()).isFalse();
        assertThat(halyk.path("passedThrough").asInt()).isPositive();
        assertThat(halyk.path("intercepted").asInt()).isZero();
        JsonNode timeline = o.path("timeline");
        assertThat(timeline.path("bucketSeconds").asLong()).isPositive();
        assertThat(timeline.path("buckets").size()).isBetween(1, Overview.MAX_BUCKETS + 1);
        int charted = 0;
        for (JsonNode b : timeline.path("buckets")) {
            charted += b.path("intercepted").asInt() + b.path("rejected").asInt() + b.path("passedThrough").asInt()
                    + b.path("refused").asInt() + b.path("plainHttp").asInt();
        }
        assertThat(charted).as("each flow is charted once").isEqualTo(o.path("totals").path("flows").asInt());
    }

    @Test
    void flowsApiHasOneRowPerRequestAndOnePerRejectedHandshake() throws Exception {
        String path = "/?rows=" + System.nanoTime();
        assertThat(lab.visit("ok.ru", path)).isEqualTo(200);
        assertThat(lab.visitRefusingRoot("ok.ru")).isTrue();
        lab.await(ClientRejectedCertificate.class, r -> r.sni().equals("ok.ru"), "the rejection of ok.ru");
        lab.await(HttpExchange.class, x -> x.path().equals(path), "the ok.ru exchange");
        JsonNode rows = lab.getJson("/api/flows");
        List<JsonNode> okRu = new ArrayList<>();
        rows.forEach(r -> {
            if (r.path("domain").asText().equals("ok.ru")) {
                okRu.add(r);
            }
        });
        assertThat(okRu).anySatisfy(r -> {
            assertThat(r.path("path").asText()).isEqualTo(path);
            assertThat(r.path("pending").asBoolean()).isFalse();
        });
        assertThat(okRu).anySatisfy(r -> {
            assertThat(r.path("outcome").asText()).isEqualTo("rejected");
            assertThat(r.path("detail").asText()).contains("forged certificate for ok.ru");
        });
    }

    @Test
    void harDownloadIsValidHar() throws Exception {
        assertThat(lab.login("vk.com", "bob", "hunter2")).isEqualTo(200);
        lab.await(HttpExchange.class, x -> x.host().equals("vk.com") && x.path().equals("/login"), "the vk.com login");
        HttpResponse<String> r = lab.get("/api/har");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-disposition")).hasValueSatisfying(d -> assertThat(d).contains("mitmlab.har"));
        JsonNode har = DashboardLab.JSON.readTree(r.body());
        HarAssertions.assertValidHar(har);
        assertThat(har.path("log").path("entries")).anySatisfy(e -> {
            assertThat(e.path("request").path("url").asText()).isEqualTo("https://vk.com/login");
            assertThat(e.path("_mitmlab").path("formFields").path("password").asText()).isEqualTo("hunter2");
            assertThat(e.path("_mitmlab").path("certificate").path("forgedIssuer").asText()).contains("Security Certificate");
        });
    }

    @Test
    void requestsNamingAnotherHostAreRefusedSoNoWebPageCanRebindToTheDashboard() throws Exception {
        String answer = rawGet("/api/events", "attacker.example:" + lab.dashboard.address().getPort());
        assertThat(answer).startsWith("HTTP/1.1 421");
        assertThat(rawGet("/api/overview", "localhost:" + lab.dashboard.address().getPort())).startsWith("HTTP/1.1 200");
    }

    @Test
    void onlyReadsAreAllowed() throws Exception {
        String answer = rawRequest("DELETE /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 405").containsIgnoringCase("allow: GET, HEAD");
    }

    @Test
    void advertisedLabWritesTheDashboardUrlIntoLabJson() throws Exception {
        Path dir = state.resolve("advertised");
        copyKeys(dir);
        try (EmbeddedLab advertised = EmbeddedLab.start(LabConfig.defaults(new org.mitmlab.lab.StateDir(dir)).withProxyPort(0)
                .withDashboardPort(0), Clock.systemUTC(), new SecureRandom(), m -> { }, true)) {
            LabInfo info = LabInfo.readRunning(dir.resolve("lab.json")).orElseThrow();
            assertThat(info.dashboard()).isEqualTo(advertised.dashboard().orElseThrow().url())
                    .startsWith("http://127.0.0.1:");
        }
        assertThat(dir.resolve("lab.json")).as("removed when the lab stops").doesNotExist();
    }

    @Test
    void upNamesTheDashboardPortWhenItIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            WatchCommandTest.Run run = WatchCommandTest.run("up", "--state-dir", state.toString(), "--proxy-port", "0",
                    "--dashboard-port", Integer.toString(taken.getLocalPort()));
            assertThat(run.code()).as(run.err()).isEqualTo(3);
            assertThat(run.err()).contains("127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .contains("--dashboard-port").contains("--no-dashboard");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode field(JsonNode comparison, String key) {
        for (JsonNode f : comparison.path("fields")) {
            if (f.path("key").asText().equals(key)) {
                return f;
            }
        }
        throw new AssertionError("no field " + key + " in " + comparison);
    }

    private static boolean differs(JsonNode comparison, String key) {
        return field(comparison, key).path("differs").asBoolean();
    }

    private static int countDiffering(JsonNode comparison) {
        int n = 0;
        for (JsonNode f : comparison.path("fields")) {
            n += f.path("differs").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private static JsonNode domain(JsonNode overview, String name) {
        for (JsonNode d : overview.path("domains")) {
            if (d.path("domain").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no domain " + name + " in the overview");
    }

    private static String rawGet(String path, String host) throws IOException {
        return rawRequest("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    private static String rawRequest(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), lab.dashboard.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A second state directory with the first one's keys, so the second lab starts without generating any. */
    private static void copyKeys(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.walk(state, 1)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".pem") || name.endsWith(".key"))) {
                    Files.copy(p, dir.resolve(name));
                }
            }
        }
        copyTree(state.resolve("web-pki"), dir.resolve("web-pki"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
