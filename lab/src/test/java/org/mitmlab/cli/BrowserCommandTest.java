package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.trust.SpkiBlocklist;

/**
 * {@code mitmlab browser} against a real embedded lab that advertises itself in {@code lab.json}:
 * headless Chromium as a user who installed the national root (the page loads, the box reads the
 * request) and as one who refused it (Chromium aborts the handshake). Chromium talks only to the
 * lab's proxy on 127.0.0.1. Screenshots are kept in {@code lab/target/browser-screenshots/}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserCommandTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(15);
    private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    @TempDir
    static Path temp;

    private static EmbeddedLab lab;
    private static StateDir state;

    @BeforeAll
    static void startLab() throws InterruptedException {
        state = new StateDir(temp.resolve("state"));
        lab = EmbeddedLab.start(LabConfig.defaults(state).withProxyPort(0).withDashboardPort(0), Clock.systemUTC(),
                new SecureRandom(), message -> { }, true);
        assertThat(lab.proxyAddress().getAddress().isLoopbackAddress()).as("the test lab's proxy listens on loopback only").isTrue();
        assertThat(state.labInfo()).as("the lab advertises itself in lab.json").exists();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void userWhoInstalledTheRootSeesThePageAndTheBoxReadsTheRequest() throws IOException {
        assumeBrowserTools();
        Path shot = SCREENSHOTS.resolve("vk-installed-root.png");
        Instant before = Instant.now();

        Run run = mitmlab("browser", "--state-dir", state.root().toString(), "--headless", "--screenshot", shot.toString());

        assertThat(run.exit()).as("exit code; stdout: %s stderr: %s", run.out(), run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("the national root", "screenshot");
        assertThat(shot).as("Chromium saved the page").exists();
        assertThat(Files.size(shot)).as("a real PNG, not an empty file").isGreaterThan(1_000);
        HttpExchange read = await(HttpExchange.class,
                e -> e.host().equals("vk.com") && e.path().equals("/") && !e.time().isBefore(before),
                "the request for https://vk.com/ read by the box");
        assertThat(read.status()).as("the page loaded through the interception").isEqualTo(200);
        assertThat(headers(read, "user-agent")).as("it was Chromium").contains("Chrome");
    }

    @Test
    void userWhoRefusedTheRootGetsChromiumsCertificateError() {
        assumeBrowserTools();
        Path shot = SCREENSHOTS.resolve("vk-refused-root.png");
        Instant before = Instant.now();

        Run run = mitmlab("browser", "--refuse-root", "--state-dir", state.root().toString(), "--headless",
                "--screenshot", shot.toString());

        assertThat(run.exit()).as("exit code; stdout: %s stderr: %s", run.out(), run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("only the public roots", "net::ERR_CERT_AUTHORITY_INVALID");
        ClientRejectedCertificate rejected = await(ClientRejectedCertificate.class,
                e -> "vk.com".equals(e.sni()) && !e.time().isBefore(before), "Chromium refusing the forged certificate for vk.com");
        assertThat(rejected.alert()).as("the alert Chromium sent").isNotBlank();
        assertThat(lab.events().snapshot()).as("the box read nothing of vk.com for this user")
                .noneMatch(e -> e instanceof HttpExchange x && x.host().equals("vk.com") && !x.time().isBefore(before));
    }

    @Test
    void userWhoseBrowserBlocksTheInstalledRootGetsACertificateErrorAndTheBoxReadsNothing() throws IOException {
        assumeBrowserTools();
        Path shot = SCREENSHOTS.resolve("vk-blocked-root.png");
        SpkiBlocklist.of(List.of(Fingerprint.spkiOf(lab.nationalRoot()))).write(state.browserBlocklist());
        Instant before = Instant.now();
        try {
            Run run = mitmlab("browser", "--blocklist", "--state-dir", state.root().toString(), "--headless",
                    "--screenshot", shot.toString());

            assertThat(run.exit()).as("exit code; stdout: %s stderr: %s", run.out(), run.err()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("explicitly distrusted", "browser-blocklist.txt lists its key",
                    "net::ERR_CERT_AUTHORITY_INVALID");
            await(ClientRejectedCertificate.class, e -> "vk.com".equals(e.sni()) && !e.time().isBefore(before),
                    "Chromium refusing the forged certificate for vk.com");
            assertThat(lab.events().snapshot()).as("the box read nothing of vk.com for this user")
                    .noneMatch(e -> e instanceof HttpExchange x && x.host().equals("vk.com") && !x.time().isBefore(before));
        } finally {
            Files.deleteIfExists(state.browserBlocklist());
        }
    }

    @Test
    void throwAwayProfileIsDeletedAndTheStudentsHomeIsUntouched() throws IOException {
        assumeBrowserTools();
        Path home = Path.of(System.getProperty("user.home"), ".pki", "nssdb");
        String nssBefore = listing(home);
        List<Path> profilesBefore = profiles();

        Run run = mitmlab("browser", "--state-dir", state.root().toString(), "--headless", "--screenshot",
                temp.resolve("shot.png").toString(), "--url", "https://halykbank.kz/");

        assertThat(run.exit()).as("stderr: %s", run.err()).isEqualTo(ExitCodes.OK);
        assertThat(profiles()).as("the throw-away profile is gone after the browser exits").isEqualTo(profilesBefore);
        assertThat(listing(home)).as("~/.pki/nssdb of the student is not touched").isEqualTo(nssBefore);
    }

    @Test
    void withoutARunningLabItSaysSoAndExitsFour() {
        Run run = mitmlab("browser", "--state-dir", temp.resolve("no-lab").toString());

        assertThat(run.exit()).as("exit code for no running lab").isEqualTo(ExitCodes.NO_LAB);
        assertThat(run.err().strip()).as("one line naming the fix")
                .startsWith("mitmlab: no running lab found in").contains("mitmlab up").doesNotContain("\n");
    }

    @Test
    void headlessWithoutAScreenshotIsAUserError() {
        Run run = mitmlab("browser", "--state-dir", state.root().toString(), "--headless");

        assertThat(run.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(run.err()).contains("--headless and --screenshot FILE go together");
    }

    @Test
    void labServesAPacFileWithTheRunningProxysPort() throws Exception {
        String dashboard = lab.dashboard().orElseThrow().url();
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> pac = client.send(HttpRequest.newBuilder(URI.create(dashboard + "proxy.pac"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(pac.statusCode()).isEqualTo(200);
        assertThat(pac.headers().firstValue("content-type")).hasValue("application/x-ns-proxy-autoconfig");
        assertThat(pac.body()).contains("host == \"vk.com\"", "host == \"halykbank.kz\"", "host == \"pki.webtrust.lab\"",
                "host == \"ct.webtrust.lab\"", "host == \"vantage.lab\"",
                "return \"PROXY 127.0.0.1:" + lab.proxyAddress().getPort() + "\";", "return \"DIRECT\";");
        assertThat(lab.dashboard().orElseThrow().proxyAutoConfigUrl()).hasValue(dashboard + "proxy.pac");
    }

    /**
     * Chromium evaluates the PAC file for real: a lab name goes to the proxy, anything else DIRECT.
     * As a safety net every DIRECT name fails to resolve (host-resolver-rules), so nothing leaves
     * 127.0.0.1; the test checks the proxy saw the lab name and never the other one.
     */
    @Test
    void chromiumWithThePacFileSendsLabNamesToTheProxyAndNothingElse() throws Exception {
        assumeBrowserTools();
        String pacUrl = lab.dashboard().orElseThrow().url() + "proxy.pac";
        Instant before = Instant.now();

        runChromiumWithPac(pacUrl, "http://vk.com/", temp.resolve("pac-vk.png"));
        runChromiumWithPac(pacUrl, "http://example.org/", temp.resolve("pac-example.png"));

        HttpExchange viaProxy = await(HttpExchange.class,
                e -> e.host().equals("vk.com") && e.scheme().equals("http") && !e.time().isBefore(before),
                "the plain-HTTP request for vk.com, sent to the proxy by the PAC file");
        assertThat(viaProxy.path()).isEqualTo("/");
        assertThat(lab.events().snapshot().stream().map(BrowserCommandTest::brief))
                .as("example.org went DIRECT (and failed to resolve), never to the proxy")
                .noneMatch(e -> e.contains("example.org"));
    }

    private static void runChromiumWithPac(String pacUrl, String url, Path shot) throws Exception {
        Path profile = Files.createDirectories(temp.resolve("pac-profile-" + Math.abs(url.hashCode())));
        ProcessBuilder pb = new ProcessBuilder(BrowserCommand.CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--proxy-pac-url=" + pacUrl, "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--screenshot=" + shot, "--window-size=800,600", url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile());
        pb.environment().put("HOME", profile.toString());
        pb.environment().keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("Chromium finished loading %s", url).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- helpers

    record Run(int exit, String out, String err) {
    }

    private static Run mitmlab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assumeBrowserTools() {
        assumeTrue(Files.isExecutable(BrowserCommand.CHROMIUM), "chromium is not installed (apt-get install chromium)");
        assumeTrue(BrowserCommand.onPath("certutil").isPresent(), "certutil is not installed (apt-get install libnss3-tools)");
    }

    /** Polls the lab's in-memory events, bounded by {@link #EVENT_WAIT}, for the newest match. */
    private static <T extends FlowEvent> T await(Class<T> type, Predicate<? super T> filter, String what) {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            List<FlowEvent> all = lab.events().snapshot();
            Optional<T> found = all.stream().filter(type::isInstance).map(type::cast).filter(filter).reduce((a, b) -> b);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + type.getSimpleName() + " (" + what + ") within " + EVENT_WAIT.toSeconds()
                        + " s; last events:\n" + all.stream().skip(Math.max(0, all.size() - 30))
                                .map(e -> "  " + brief(e)).collect(Collectors.joining("\n")));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static String brief(FlowEvent e) {
        String s = e.toString().replaceAll("-----BEGIN CERTIFICATE-----[\\s\\S]*?-----END CERTIFICATE-----\\s*", "<pem>");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String headers(HttpExchange e, String name) {
        return e.requestHeaders().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Object::toString)
                .collect(Collectors.joining(", "));
    }

    private static List<Path> profiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("mitmlab-browser-")).sorted().collect(Collectors.toList());
        }
    }

    private static String listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "(absent)";
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName() + ":" + p.toFile().length() + ":" + p.toFile().lastModified()).sorted()
                    .collect(Collectors.joining(","));
        }
    }
}
