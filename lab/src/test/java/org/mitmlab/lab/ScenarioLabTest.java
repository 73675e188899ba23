package org.mitmlab.lab;

import org.mitmlab.testing.JdkClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.PhaseChanged;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.testing.Curl;
import org.mitmlab.trust.BrowserTrust;
import org.mitmlab.trust.SpkiBlocklist;

/**
 * Every built-in scenario that runs in the embedded lab, started in the embedded lab and checked
 * against what its summary promises, through the clients a student would use: curl with the trust
 * store of a machine that installed the national root ({@code roots-with-national.pem}) or refused it
 * ({@code public-roots.pem}), and the JDK HttpClient as a browser with the 2019 block. Plus the
 * timeline played fast, the phases held, and the victim's captured login. One state directory is
 * shared so keys are made once (the drill's ISCA root and the Qaznet root after it are the exceptions
 * the scenarios promise). Everything listens and connects on 127.0.0.1 only; every wait is bounded.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScenarioLabTest {
    private static final String TARGETED = "vk.com";
    private static final String CONTROL = "halykbank.kz";
    private static final String FORGED_ISSUER_CN = "Security Certificate";
    private static final String QAZNET_ROOT_CN = "Qaznet Trust Network";
    private static final String ISCA_ROOT_CN = "Information Security Certification Authority CA";
    /** How long the simulated users of a scenario may take (a few dozen bounded requests). */
    private static final Duration POPULATION_WAIT = Duration.ofSeconds(30);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ISSUER_LINE = Pattern.compile("(?m)^\\*\\s+issuer: (.*)$");
    private static final Pattern CN = Pattern.compile("CN ?= ?([^;,/]+)");

    @TempDir
    static Path temp;

    private static StateDir state;
    private static Path work;
    private static final ScenarioLoader LOADER = new ScenarioLoader();

    @BeforeAll
    static void checkCurl() throws IOException {
        assumeThat(Curl.isAvailable()).as("curl is installed").isTrue();
        state = new StateDir(temp.resolve("state"));
        work = Files.createDirectories(temp.resolve("work"));
    }

    // ---------------------------------------------------------------- every embedded scenario keeps its promise

    /** Every built-in the embedded lab can run; the Docker-only ones run in Docker ITs (DockerLocateIT). */
    static Stream<String> builtIns() {
        return ScenarioLoader.BUILT_IN.stream().filter(n -> new ScenarioLoader().load(n).runsIn(Scenario.LabMode.EMBEDDED));
    }

    @Test
    void onlyLocateIsLeftToTheDockerLab() {
        List<String> dockerOnly = LOADER.loadBuiltIns().stream().filter(s -> !s.runsIn(Scenario.LabMode.EMBEDDED))
                .map(Scenario::name).toList();

        assertThat(dockerOnly).as("built-in scenarios the embedded lab cannot run (left out below)").containsExactly("locate");
        assertThat(builtIns()).as("the scenarios run below").hasSize(ScenarioLoader.BUILT_IN.size() - 1);
    }

    @ParameterizedTest(name = "{0} in the embedded lab")
    @MethodSource("builtIns")
    void everyEmbeddedScenarioKeepsItsPromise(String name) throws Exception {
        Scenario scenario = LOADER.load(name);
        ResolvedScenario resolved = scenario.resolveDemo();

        try (Running lab = Running.start(state, resolved, Optional.of(scenario.timeline().steady()))) {
            LabStarted started = lab.lab.events().ofType(LabStarted.class).get(0);
            assertThat(started.scenario()).as("the lab-started event names the scenario").isEqualTo(name);
            assertThat(started.mode()).isEqualTo("embedded");
            switch (name) {
                case "baseline" -> baseline(lab);
                case "kz-2019" -> kz2019Testing(lab);
                case "refusal" -> refusal(lab);
                case "blocklist" -> blocklist(lab);
                case "stolen-root" -> stolenRoot(lab);
                case "kz-2020-drill" -> drill(lab);
                case "careless-mitm" -> careless(lab);
                case "hunt" -> hunt(lab);
                default -> throw new AssertionError("no promise is checked for the embedded scenario " + name
                        + "; add one to " + ScenarioLabTest.class.getSimpleName());
            }
        }
        if (name.equals("blocklist")) {
            afterwardsTheBlockIsGone();
        }
        if (name.equals("kz-2020-drill")) {
            afterwardsKz2019BringsBackAQaznetRoot();
        }
    }

    /** No interception: every name genuine for a machine with only the public roots; no forgery anywhere. */
    private static void baseline(Running lab) {
        for (String name : List.of(TARGETED, CONTROL, "mail.ru")) {
            lab.assertGenuine(name);
        }
        lab.awaitPopulation();
        assertThat(lab.lab.events().ofType(CertificateForged.class)).as("certificate-forged events in the baseline").isEmpty();
    }

    /** Holding 'testing': the 2019 names forged under "Security Certificate", other names genuine. */
    private static void kz2019Testing(Running lab) {
        Curl.Result installed = lab.assertForgedUnder(TARGETED, FORGED_ISSUER_CN);
        assertThat(installed.bodyText()).as("the page behind the forgery").isNotEmpty();
        Curl.Result refused = lab.curl(lab.proxy(), state.publicRoots(), TARGETED);
        assertThat(refused.exitCode()).as("a machine that refused the root: %s", refused.describe()).isEqualTo(60);
        lab.assertGenuine(CONTROL);
        assertThat(lab.lab.timeline().currentPhase().name()).isEqualTo("testing");
    }

    /** Nobody installed the root: the users' certificate errors are recorded, nothing targeted is read. */
    private static void refusal(Running lab) {
        Curl.Result targeted = lab.curl(lab.proxy(), state.publicRoots(), TARGETED);
        assertThat(targeted.exitCode()).as("%s without the national root: %s", TARGETED, targeted.describe()).isEqualTo(60);
        Curl.Result control = lab.curl(lab.proxy(), state.publicRoots(), CONTROL);
        assertThat(control.status()).as("%s: %s", CONTROL, control.describe()).isEqualTo(200);

        lab.awaitPopulation();
        DomainCatalogue catalogue = lab.lab.config().catalogue();
        assertThat(lab.lab.events().ofType(ClientRejectedCertificate.class))
                .as("the simulated users (all refused the root) rejected forged certificates").isNotEmpty()
                .allSatisfy(r -> assertThat(catalogue.isTargeted(r.sni())).as("rejected name %s is targeted", r.sni()).isTrue());
        assertThat(lab.lab.events().ofType(HttpExchange.class, e -> catalogue.isTargeted(hostOnly(e.host()))))
                .as("http-exchange events for targeted names: the box read nothing").isEmpty();
    }

    /** The browser block: the HttpClient with the block refuses the forgery, curl without it accepts it. */
    private static void blocklist(Running lab) throws Exception {
        Path file = state.browserBlocklist();
        assertThat(file).as("the lab writes the browsers' block").exists();
        Fingerprint rootKey = Fingerprint.spkiOf(lab.lab.nationalRoot());
        assertThat(Files.readAllLines(file)).as("%s lists the national root's SPKI SHA-256", file).contains(rootKey.sha256Hex());

        List<X509Certificate> installed = PemFiles.readCertificates(state.rootsWithNational());
        HttpClient browser = HttpClient.newBuilder().proxy(ProxySelector.of(lab.proxy()))
                .sslContext(BrowserTrust.sslContext(installed, SpkiBlocklist.read(file))).connectTimeout(HTTP_TIMEOUT).build();
        Throwable blocked = catchThrowable(() -> get(browser, TARGETED));
        assertThat(blocked).as("the browser with the block on %s", TARGETED).isInstanceOf(SSLHandshakeException.class);
        assertThat(causes(blocked)).as("the handshake failure names the blocked key").contains("blocked key")
                .contains(rootKey.sha256Hex());
        assertThat(get(browser, CONTROL)).as("the browser with the block on %s", CONTROL).isEqualTo(200);

        Curl.Result tool = lab.assertForgedUnder(TARGETED, FORGED_ISSUER_CN);
        assertThat(tool.status()).as("curl has no block: the installed root is enough").isEqualTo(200);
    }

    private static void afterwardsTheBlockIsGone() throws Exception {
        assertThat(state.browserBlocklist()).as("the block stays while the lab is stopped").exists();
        try (Running next = Running.start(state, LOADER.load("refusal").resolveDemo(), Optional.empty())) {
            assertThat(state.browserBlocklist()).as("another scenario in the same state directory removes the block").doesNotExist();
        }
    }

    /** The attacker's own listener signs the bank with the stolen root; the ISP's box leaves the bank alone. */
    private static void stolenRoot(Running lab) {
        assertThat(lab.lab.attackers()).as("stolen-root runs one attacker").hasSize(1);
        EmbeddedLab.AttackerProxy cafe = lab.lab.attackers().get(0);
        assertThat(cafe.name()).isEqualTo("cafe-wifi");
        assertThat(cafe.address().getAddress().isLoopbackAddress()).as("the attacker listens on loopback").isTrue();
        assertThat(cafe.address()).isNotEqualTo(lab.proxy());

        Curl.Result installed = lab.curl(cafe.address(), state.rootsWithNational(), CONTROL);
        assertThat(installed.status()).as("%s via the cafe Wi-Fi, root installed: %s", CONTROL, installed.describe()).isEqualTo(200);
        assertThat(issuerCn(installed)).as("the bank's certificate at the cafe is signed by the national root itself")
                .isEqualTo(QAZNET_ROOT_CN);
        Curl.Result refused = lab.curl(cafe.address(), state.publicRoots(), CONTROL);
        assertThat(refused.exitCode()).as("%s via the cafe Wi-Fi, root refused: %s", CONTROL, refused.describe()).isEqualTo(60);

        lab.assertGenuine(CONTROL);
        lab.assertForgedUnder(TARGETED, FORGED_ISSUER_CN);

        List<CertificateForged> bank = lab.lab.events().ofType(CertificateForged.class, f -> f.sni().equals(CONTROL));
        assertThat(bank).as("forgeries of %s", CONTROL).isNotEmpty()
                .allSatisfy(f -> assertThat(f.flowId()).as("the attacker's flows are its own").startsWith("cafe-wifi-"));
        assertThat(lab.lab.events().ofType(CertificateForged.class, f -> f.sni().equals(TARGETED)))
                .as("the box's forgeries").isNotEmpty()
                .allSatisfy(f -> assertThat(f.flowId()).doesNotStartWith("cafe-wifi-"));
    }

    /** December 2020: the ISCA root signs the forgeries itself; a 2019 name off the 2020 list is genuine. */
    private static void drill(Running lab) {
        X509Certificate root = PemFiles.readCertificates(state.nationalRoot()).get(0);
        assertThat(root.getSubjectX500Principal().getName()).as("national-root.pem of the drill").contains(ISCA_ROOT_CN);
        assertThat(lab.lab.timeline().currentPhase().name()).isEqualTo("drill");

        lab.assertForgedUnder(TARGETED, ISCA_ROOT_CN);
        lab.assertForgedUnder("youtube.com", ISCA_ROOT_CN);
        assertThat(lab.lab.config().catalogue().isTargeted("android.com")).as("android.com: 2019, not 2020").isFalse();
        lab.assertGenuine("android.com");
    }

    private static void afterwardsKz2019BringsBackAQaznetRoot() throws Exception {
        String isca = Fingerprint.of(PemFiles.readCertificates(state.nationalRoot()).get(0)).sha256Hex();
        try (Running next = Running.start(state, LOADER.load("kz-2019").resolveDemo(), Optional.of("testing"))) {
            X509Certificate root = PemFiles.readCertificates(state.nationalRoot()).get(0);
            assertThat(root.getSubjectX500Principal().getName()).as("national-root.pem after kz-2019").contains(QAZNET_ROOT_CN);
            assertThat(Fingerprint.of(root).sha256Hex()).isNotEqualTo(isca);
            assertThat(next.progress).as("the lab says the root changed").anyMatch(l -> l.contains("Generated a new qaznet-2019 national root"));
            next.assertForgedUnder(TARGETED, FORGED_ISSUER_CN);
        }
    }

    /** Self-signed leaves: even a machine with the national root installed gets a certificate error. */
    private static void careless(Running lab) {
        Curl.Result r = lab.curl(lab.proxy(), state.rootsWithNational(), TARGETED);
        assertThat(r.exitCode()).as("careless forgery of %s, root installed: %s", TARGETED, r.describe()).isEqualTo(60);
        assertThat(r.stderr()).as("curl's reason").containsIgnoringCase("self-signed");
        Curl.Result control = lab.curl(lab.proxy(), state.rootsWithNational(), CONTROL);
        assertThat(control.status()).as("%s: %s", CONTROL, control.describe()).isEqualTo(200);
    }

    /** The demo variant: exactly its targets are forged; a 2019 name it left out is genuine. */
    private static void hunt(Running lab) {
        List<String> targets = lab.scenario.targets();
        assertThat(targets).hasSize(11);
        for (String name : targets) {
            lab.assertForgedUnder(name, FORGED_ISSUER_CN);
        }
        String spared = DomainCatalogue.kz2019().targeted().stream().filter(n -> !targets.contains(n)).findFirst().orElseThrow();
        lab.assertGenuine(spared);
    }

    // ---------------------------------------------------------------- the kz-2019 timeline

    @Test
    void kz2019HoldingThePauseInterceptsNothing() throws Exception {
        try (Running lab = Running.start(state, LOADER.load("kz-2019").resolveDemo(), Optional.of("pause"))) {
            lab.assertGenuine(TARGETED);

            List<PhaseChanged> phases = lab.lab.events().ofType(PhaseChanged.class);
            assertThat(phases).as("phase-changed events of a lab holding 'pause'").hasSize(1);
            assertThat(phases.get(0).phase()).isEqualTo("pause");
            assertThat(phases.get(0).intercept()).as("the pause switches interception off").isFalse();
            assertThat(phases.get(0).date()).isEqualTo("2019-07-26");
            assertThat(lab.lab.events().ofType(CertificateForged.class, f -> f.sni().equals(TARGETED))).isEmpty();
        }
    }

    @Test
    void kz2019sPilotPhaseForgesWith1024BitKeysAndTestingWith2048() throws Exception {
        Scenario kz = LOADER.load("kz-2019");
        for (String phase : List.of("pilot", "testing")) {
            try (Running lab = Running.start(state, kz.resolveDemo(), Optional.of(phase))) {
                InetSocketAddress proxy = lab.proxy();
                Process p = new ProcessBuilder("sh", "-c", "openssl s_client -proxy 127.0.0.1:" + proxy.getPort()
                        + " -connect " + TARGETED + ":443 -servername " + TARGETED + " </dev/null 2>/dev/null | openssl x509 -noout -text")
                        .redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                String bits = phase.equals("pilot") ? "1024" : "2048";
                assertThat(text).as("the forged leaf of %s in phase %s", TARGETED, phase).contains("Public-Key: (" + bits + " bit)")
                        .contains("Exponent: 3 ");
                assertThat(lab.lab.events().ofType(CertificateForged.class)).as("certificate-forged events in phase %s", phase)
                        .isNotEmpty().allSatisfy(c -> assertThat(c.profile()).isEqualTo(phase.equals("pilot") ? "kz-2019/pilot" : "kz-2019"));
            }
        }
    }

    @Test
    void kz2019PlayedWithAShortDayGoesThroughItsPhasesInOrder() throws Exception {
        String text = ScenarioLoader.builtInText("kz-2019");
        assertThat(text).contains("day: 20s");
        Scenario fast = LOADER.parse(text.replace("day: 20s", "day: 250ms"), "kz-2019.yaml (day: 250ms)", "kz-2019");
        StateDir fresh = copyKeys(state, temp.resolve("state-played"));

        try (Running lab = Running.start(fresh, fast.resolveDemo(), Optional.empty())) {
            // ended is day 21: 5.25 s after the start
            await(Duration.ofSeconds(20), () -> lab.lab.events().ofType(PhaseChanged.class, p -> p.phase().equals("ended")).stream()
                    .findFirst(), () -> "phase 'ended'; phases so far: " + lab.lab.events().ofType(PhaseChanged.class));

            List<PhaseChanged> phases = lab.lab.events().ofType(PhaseChanged.class);
            assertThat(phases).extracting(PhaseChanged::phase).as("phases in the order of the YAML")
                    .containsExactly("pilot", "testing", "overnight-stop", "resumed", "pause", "resumed-again", "ended");
            assertThat(phases).extracting(PhaseChanged::intercept).containsExactly(true, true, false, true, false, true, false);
            assertThat(phases).extracting(PhaseChanged::time).as("in time order").isSorted();
            assertThat(lab.lab.timeline().currentPhase().name()).isEqualTo("ended");

            lab.assertGenuine(TARGETED);

            FlowEvent first = await(Duration.ofSeconds(5), () -> firstEventOf(fresh.events()), () -> "a first line in " + fresh.events());
            assertThat(first).as("the first event of %s", fresh.events()).isInstanceOf(LabStarted.class);
            LabStarted started = (LabStarted) first;
            assertThat(started.scenario()).isEqualTo("kz-2019");
            assertThat(started.played()).as("the timeline is played, not held").isTrue();
            assertThat(started.student()).isEqualTo("demo");
        }
    }

    @Test
    void kz2019VictimsLoginIsReadByTheBox() throws Exception {
        ResolvedScenario kz = LOADER.load("kz-2019").resolveDemo();
        ResolvedScenario.Victim victim = kz.victim().orElseThrow(() -> new AssertionError("kz-2019 has a victim"));
        assertThat(kz.targets()).as("the victim signs in to a targeted site").contains(victim.site());

        try (Running lab = Running.start(state, kz, Optional.of("testing"))) {
            HttpExchange login = await(Duration.ofSeconds(20), () -> lab.lab.events().ofType(HttpExchange.class,
                    e -> hostOnly(e.host()).equals(victim.site()) && e.formFields().containsKey("password")).stream().findFirst(),
                    () -> "the victim's login on " + victim.site() + "; progress: " + lab.progress);

            assertThat(login.method()).isEqualTo("POST");
            assertThat(login.formFields()).as("the form the box read")
                    .containsEntry("username", victim.username()).containsEntry("password", victim.password());
        }
    }

    // ---------------------------------------------------------------- a running lab and its clients

    /** One embedded lab for one scenario, and the progress lines it printed. */
    static final class Running implements AutoCloseable {
        final EmbeddedLab lab;
        final ResolvedScenario scenario;
        final List<String> progress;
        final StateDir dir;

        private Running(EmbeddedLab lab, ResolvedScenario scenario, List<String> progress, StateDir dir) {
            this.lab = lab;
            this.scenario = scenario;
            this.progress = progress;
            this.dir = dir;
        }

        static Running start(StateDir dir, ResolvedScenario scenario, Optional<String> hold) throws InterruptedException {
            List<String> progress = new CopyOnWriteArrayList<>();
            EmbeddedLab lab = EmbeddedLab.start(LabConfig.defaults(dir).withProxyPort(0).withScenario(scenario, hold),
                    Clock.systemUTC(), new SecureRandom(), progress::add, false);
            assertThat(lab.proxyAddress().getAddress().isLoopbackAddress()).as("the proxy listens on loopback").isTrue();
            return new Running(lab, scenario, progress, dir);
        }

        InetSocketAddress proxy() {
            return lab.proxyAddress();
        }

        /** curl -v https://NAME/ through {@code proxy}, trusting exactly {@code trust}; names pinned to loopback. */
        Curl.Result curl(InetSocketAddress proxy, Path trust, String name) {
            Curl curl = Curl.in(work).caCert(trust);
            curl.resolve(name, new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 443));
            // Curl passes --noproxy *; the later --noproxy "" turns the explicit --proxy back on
            return curl.fetch("--noproxy", "", "--proxy", "http://127.0.0.1:" + proxy.getPort(), "-v", "https://" + name + "/");
        }

        /** A machine that refused the root loads {@code name} and sees the certificate the origin sends. */
        void assertGenuine(String name) {
            Curl.Result r = curl(proxy(), dir.publicRoots(), name);
            assertThat(r.status()).as("%s in %s with only the public roots: %s", name, scenario.name(), r.describe()).isEqualTo(200);
            X509Certificate genuine = PemFiles.readCertificates(dir.sites().resolve(name + ".pem")).get(0);
            assertThat(issuerCn(r)).as("issuer of %s in %s: the lab's public CA", name, scenario.name())
                    .isEqualTo(cnOf(genuine.getIssuerX500Principal().getName()))
                    .isNotIn(FORGED_ISSUER_CN, QAZNET_ROOT_CN, ISCA_ROOT_CN);
        }

        /** A machine that installed the root loads {@code name} without a warning, under the national issuer. */
        Curl.Result assertForgedUnder(String name, String issuerCn) {
            Curl.Result r = curl(proxy(), dir.rootsWithNational(), name);
            assertThat(r.status()).as("%s in %s with the national root installed: %s", name, scenario.name(), r.describe())
                    .isEqualTo(200);
            assertThat(issuerCn(r)).as("issuer of %s in %s", name, scenario.name()).isEqualTo(issuerCn);
            return r;
        }

        /** Waits (bounded) until the simulated users have made their visits. */
        void awaitPopulation() {
            await(POPULATION_WAIT, () -> progress.stream().filter(l -> l.startsWith("Simulated users")).findFirst(),
                    () -> "the simulated users' summary; progress: " + progress);
        }

        @Override
        public void close() {
            if (scenario.scenario().population().users() > 0) {
                awaitPopulation();
            }
            lab.close();
        }
    }

    /** The issuer CN of the leaf curl saw, from {@code curl -v} ("*  issuer: C=KZ; CN=Security Certificate"). */
    static String issuerCn(Curl.Result r) {
        Matcher m = ISSUER_LINE.matcher(r.stderr());
        assertThat(m.find()).as("curl -v printed the server certificate's issuer: %s", r.stderr()).isTrue();
        return cnOf(m.group(1));
    }

    static String cnOf(String dn) {
        Matcher m = CN.matcher(dn);
        assertThat(m.find()).as("a CN in %s", dn).isTrue();
        return m.group(1).strip();
    }

    private static String hostOnly(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    private static int get(HttpClient client, String host) throws Exception {
        return JdkClients.get(client, host, HTTP_TIMEOUT);
    }

    private static String causes(Throwable t) {
        return JdkClients.causes(t);
    }

    private static Optional<FlowEvent> firstEventOf(Path events) {
        try {
            Optional<String> line = Files.readAllLines(events, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).findFirst();
            return line.map(l -> new EventJson().fromJson(l));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code probe} every 50 ms until it answers, at most {@code max}. */
    static <T> T await(Duration max, Supplier<Optional<T>> probe, Supplier<String> what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + max.toSeconds() + " s: " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A new state directory with the keys and certificates of {@code from}, but no events: saves generating keys. */
    private static StateDir copyKeys(StateDir from, Path to) throws IOException {
        from.prepare();
        if (!Files.exists(from.nationalRoot())) {
            // the first lab in this class makes the keys
            try (Running warm = Running.start(from, LOADER.load("baseline").resolveDemo(), Optional.empty())) {
                assertThat(from.nationalRoot()).exists();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(from.root())) {
            files = new ArrayList<>(all.toList());
        }
        for (Path p : files) {
            String n = p.getFileName().toString();
            if (n.startsWith("events") || n.equals("lab.json") || n.equals("browser-blocklist.txt")) {
                continue;
            }
            Path target = to.resolve(from.root().relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new StateDir(to);
    }
}
