package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.testing.OneSiteOrigin;

/**
 * {@code mitmlab proxy --warm-up}, the real jar as its own process, in front of an origin on loopback:
 * the proxy intercepts as soon as it says it listens, while its warm-up still runs, and Ctrl-C in the
 * middle of the warm-up stops it cleanly.
 */
class ProxyWarmUpIT {
    private static final Pattern LISTENING = Pattern.compile("mitmlab proxy on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void interceptsWhileItsWarmUpRunsAndStopsCleanlyInTheMiddleOfIt() throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Path state = dir.resolve("state");
        try (Transport transport = Transport.create(1); OneSiteOrigin origin = OneSiteOrigin.start(transport, "vk.com")) {
            Path trust = dir.resolve("public-roots.pem");
            PemFiles.writeCertificates(trust, origin.web().trustBundle());
            Process proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", System.getProperty("mitmlab.jar", "target/mitmlab.jar"), "proxy",
                    "--state-dir", state.toString(), "--targets", targets.toString(), "--upstream-trust", trust.toString(),
                    "--upstream", "127.0.0.1:" + origin.httpsAddress().getPort(), "--port", "0", "--events", "none",
                    "--warm-up", "60")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    lines.add("(output unreadable: " + e + ")");
                }
            }, "proxy-output");
            reader.start();
            try {
                StringBuilder seen = new StringBuilder();
                int port = awaitListening(lines, seen);
                assertThat(seen).as("the key stock is filled before it listens").contains("Key stock: 16 keys ready");
                if (System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux")) {
                    assertThat(seen).as("the jar carries AWS-LC's library for this platform, and it signs the forged leaves")
                            .contains("forged leaves signed by AWS-LC (ACCP ");
                }

                HttpResponse<String> page = viaProxy(port, PemFiles.readCertificates(state.resolve("national-root.pem")));
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("VK");
                X509Certificate served = (X509Certificate) page.sslSession().orElseThrow().getPeerCertificates()[0];
                assertThat(served.getIssuerX500Principal().getName()).as("the forged leaf's issuer")
                        .contains("CN=Security Certificate");
                drain(lines, seen);
                assertThat(seen).as("a 60 s warm-up is still running").doesNotContain("Warmed up");
            } finally {
                proxy.destroy(); // SIGTERM, as Ctrl-C
                boolean stopped = proxy.waitFor(20, TimeUnit.SECONDS);
                if (!stopped) {
                    proxy.destroyForcibly();
                }
                reader.join(5_000);
                assertThat(stopped).as("stopped within 20 s of SIGTERM, warm-up running").isTrue();
            }
            StringBuilder rest = new StringBuilder();
            drain(lines, rest);
            assertThat(rest).as("nothing alarming on the way out").doesNotContain("Exception").doesNotContain("WARN")
                    .doesNotContain("stopped early");
        }
    }

    private static int awaitListening(BlockingQueue<String> lines, StringBuilder seen) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l == null) {
                continue;
            }
            seen.append(l).append('\n');
            Matcher m = LISTENING.matcher(l);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the proxy did not say it listens within " + STEP + "; it said:\n" + seen);
    }

    private static void drain(BlockingQueue<String> lines, StringBuilder into) {
        for (String l = lines.poll(); l != null; l = lines.poll()) {
            into.append(l).append('\n');
        }
    }

    private static HttpResponse<String> viaProxy(int port, List<X509Certificate> trusted) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, TlsContexts.trustManagers(trusted).getTrustManagers(), new SecureRandom());
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                .sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://vk.com/")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
