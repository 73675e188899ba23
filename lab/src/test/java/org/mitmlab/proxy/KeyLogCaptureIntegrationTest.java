package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.lab.LabCapture;
import org.mitmlab.testing.Curl;

/**
 * What a student does with {@code mitmlab up --key-log}: capture the lab's loopback traffic with
 * tcpdump, make one request through the proxy, and let tshark decrypt both legs of the
 * interception (curl to proxy, proxy to origin) with {@code keys.log}. Needs the Debian packages
 * {@code tcpdump} and {@code tshark}, and the right to capture on {@code lo}.
 */
class KeyLogCaptureIntegrationTest {
    @TempDir
    static Path tempDir;
    static ProxyLabSupport support;

    @BeforeAll
    static void startLab() throws InterruptedException {
        support = ProxyLabSupport.start(tempDir, c -> c.withKeyLog(true));
    }

    @AfterAll
    static void stopLab() {
        if (support != null) {
            support.close();
        }
    }

    @Test
    void keyLogIsOwnerOnlyInTheStateDirectory() throws IOException {
        Path keys = support.lab.keyLogFile().orElseThrow();
        assertThat(keys).as("keys.log lives in the state directory").isEqualTo(support.state.keyLog());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
                .as("the key log decrypts the lab's sessions: owner only").isEqualTo("rw-------");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--http1.1", "--http2"})
    void tsharkDecryptsBothLegsOfAnInterceptedRequest(String httpVersion) throws Exception {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        assumeTrue(!httpVersion.equals("--http2") || Curl.supportsHttp2(), "this curl has no HTTP/2");
        assumeTrue(ProxyLabSupport.isInstalled("tcpdump", "--version"), "tcpdump is not installed (Debian package tcpdump)");
        assumeTrue(ProxyLabSupport.isInstalled("tshark", "--version"), "tshark is not installed (Debian package tshark)");

        LabCapture ports = LabCapture.of(support.lab);
        String probe = "/api/status?probe=" + UUID.randomUUID();
        Path pcap = support.work.resolve("lab-" + httpVersion.substring(2) + ".pcap");
        Curl.Result result;
        Tcpdump capture = Tcpdump.start(ports.tcpdump(pcap, 5000), support.work);
        try (capture) {
            result = support.curlViaProxy(support.state.rootsWithNational(), List.of("vk.com"), httpVersion,
                    "https://vk.com" + probe);
            ProxyLabSupport.sleep(300); // the last packets (close_notify, FIN) reach the capture
        }
        assertThat(result.status()).as("the request through the proxy is served: %s", result.describe()).isEqualTo(200);

        Path keys = support.state.keyLog();
        String keyLog = Files.readString(keys, StandardCharsets.US_ASCII);
        assertThat(keyLog).as("keys.log holds TLS 1.3 secrets in the NSS format")
                .containsPattern("(?m)^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]{64,96}$");

        ProxyLabSupport.Run tshark = support.run(ports.tsharkRequests(pcap, keys), Duration.ofSeconds(60));
        assertThat(tshark.exitCode()).as(tshark.describe()).isZero();
        List<String> requests = tshark.stdout().lines().filter(l -> l.contains(probe)).toList();
        assertThat(requests).as("tshark decrypts the request on the client leg (to the proxy, port %d): %s",
                ports.proxyPort(), tshark.describe()).anyMatch(l -> l.startsWith(ports.proxyPort() + "\t"));
        assertThat(requests).as("tshark decrypts the request on the origin leg (proxy to origin, port %d): %s",
                ports.originHttpsPort(), tshark.describe()).anyMatch(l -> l.startsWith(ports.originHttpsPort() + "\t"));
    }

    /** tcpdump in the background, ready when it says "listening on", stopped (SIGTERM) by {@link #close}. */
    private record Tcpdump(Process process, Path stderr) implements AutoCloseable {
        static Tcpdump start(List<String> command, Path work) throws IOException, InterruptedException {
            Path err = Files.createTempFile(work, "tcpdump", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            Tcpdump t = new Tcpdump(p, err);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(err).contains("listening on")) {
                if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                    t.close();
                    throw new AssertionError("tcpdump did not start capturing: " + String.join(" ", command) + "\n"
                            + Files.readString(err));
                }
                Thread.sleep(50);
            }
            return t;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
