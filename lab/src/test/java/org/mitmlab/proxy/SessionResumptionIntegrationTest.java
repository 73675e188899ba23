package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.EventSink;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.mitmlab.testing.LeakDetectionExtension;

/**
 * TLS session resumption towards clients, with openssl s_client saving a session and offering it
 * again: the proxy resumes by default, and with {@code --no-resumption}
 * ({@link ProxyConfig#withoutSessionResumption}) every handshake is a full one, as the benchmark's
 * origin makes them.
 */
@ExtendWith(LeakDetectionExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionResumptionIntegrationTest {
    private static final String SITE = "vk.com";

    private static Transport transport;
    private static OriginServer origin;
    private static ForgeryCache forgeries;
    private static NationalPki national;
    private static List<java.security.cert.X509Certificate> trusted;
    private static DomainCatalogue catalogue;

    @BeforeAll
    static void startOrigin() throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        catalogue = DomainCatalogue.kz2019().withTargets(Set.of(SITE));
        WebPki web = WebPki.generate(clock, random);
        SiteCredential credential = web.issue(catalogue.site(SITE).orElseThrow(), clock, random);
        national = NationalPki.generate(clock, random, NationalPki.DEFAULT_VALIDITY);
        trusted = web.trustBundle();
        transport = Transport.create(1);
        origin = new OriginServer(transport, new TlsContexts(true), catalogue, Map.of(SITE, credential), web, clock)
                .start(InetAddress.getLoopbackAddress(), 0, 0);
        forgeries = ForgeryCache.forProfile(national, ForgeryProfile.kz2019(), 2, 16, random);
    }

    @AfterAll
    static void stop() {
        if (forgeries != null) {
            forgeries.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void aClientResumesItsSessionByDefault(@TempDir Path dir) throws Exception {
        ProxyConfig config = new ProxyConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted, Duration.ofSeconds(5));
        Handshakes both = handshakes(config, dir);
        assertThat(both.sessionSaved()).as("openssl saved a session ticket from the first handshake:%n%s", both.first()).isTrue();
        assertThat(both.second()).as("openssl s_client offering the saved session the second time")
                .contains("Reused, TLSv1.3");
    }

    private record Handshakes(String first, boolean sessionSaved, String second) {
    }

    @Test
    void withoutResumptionEveryHandshakeIsAFullOne(@TempDir Path dir) throws Exception {
        ProxyConfig config = new ProxyConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted, Duration.ofSeconds(5))
                .withoutSessionResumption();
        Handshakes both = handshakes(config, dir);
        assertThat(both.second()).as("openssl s_client again, offering what it saved (%s)",
                both.sessionSaved() ? "a session" : "nothing").contains("New, TLSv1.3")
                .doesNotContain("Reused").contains("Verify return code: 0 (ok)");
    }

    /** Two s_client handshakes straight to the proxy (SNI-routed), the second offering the first's session if any. */
    private static Handshakes handshakes(ProxyConfig config, Path dir) throws Exception {
        LabUpstreams upstreams = new LabUpstreams(catalogue, origin.httpsAddress(), origin.httpAddress(), Set.of());
        Path ca = dir.resolve("national-root.pem");
        Files.writeString(ca, PemFiles.toPem(List.of(national.root().certificate())));
        Path session = dir.resolve("session.pem");
        try (ProxyServer proxy = new ProxyServer(config, new InterceptionPolicy(catalogue::isTargeted, upstreams::mayRoute),
                upstreams, forgeries, new TlsContexts(true), transport, EventSink.none(), Clock.systemUTC()).start()) {
            String connect = "127.0.0.1:" + proxy.address().getPort();
            String first = sClient(dir, connect, ca, "-sess_out", session.toString());
            assertThat(first).as("first handshake").contains("New, TLSv1.3").contains("Verify return code: 0 (ok)")
                    .contains("HTTP/1.1 200");
            boolean saved = Files.exists(session);
            String second = saved ? sClient(dir, connect, ca, "-sess_in", session.toString()) : sClient(dir, connect, ca);
            return new Handshakes(first, saved, second);
        }
    }

    private static String sClient(Path dir, String connect, Path ca, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", connect, "-servername", SITE,
                "-CAfile", ca.toString(), "-tls1_3", "-ign_eof"));
        cmd.addAll(List.of(extra));
        // a GET, and -ign_eof: s_client stays until the server closes, after the session tickets (sent after the
        // handshake) and the answer have arrived
        Path request = Files.writeString(dir.resolve("request.txt"), "GET /api/status HTTP/1.1\r\nHost: " + SITE
                + "\r\nConnection: close\r\n\r\n");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(request.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish within 20 s: " + cmd);
        }
        return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    }
}
