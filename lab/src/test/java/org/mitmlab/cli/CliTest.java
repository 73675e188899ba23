package org.mitmlab.cli;

import org.mitmlab.testing.CliRun;
import org.mitmlab.testing.CliRun.Result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.domains.DomainCatalogue;

/**
 * The command line through {@link Main#run}: help and version everywhere, usage errors (exit 2), user
 * errors (exit 3, one line, no stack trace), the CA export in every format, and one real demo run.
 * Every lab this starts listens on 127.0.0.1 only; one state directory is shared so keys are made once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CliTest {
    @TempDir
    static Path state;

    private static ExecutorService background;

    @BeforeAll
    static void startBackground() {
        background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cli-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopBackground() {
        background.shutdownNow();
    }


    static Result run(String... args) {
        return CliRun.run(args);
    }

    private static String stateDir() {
        return state.toString();
    }

    // ---------------------------------------------------------------- help and version

    /** Every command path of the picocli tree (so commands added later are covered too). */
    static Stream<Arguments> commands() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), List.of(), paths);
        return paths.stream().map(Arguments::of);
    }

    private static void collect(picocli.CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(path);
        for (java.util.Map.Entry<String, picocli.CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals(sub.getValue().getCommandName())) { // skip aliases
                List<String> child = new ArrayList<>(path);
                child.add(sub.getKey());
                collect(sub.getValue(), child, into);
            }
        }
    }

    @Test
    void theDocumentedCommandsExist() {
        assertThat(commands().map(a -> a.get()[0])).contains(List.of(), List.of("up"), List.of("demo"), List.of("domains"),
                List.of("ca"), List.of("ca", "export"), List.of("proxy"));
    }

    @ParameterizedTest(name = "mitmlab {0} --help")
    @MethodSource("commands")
    void helpWorksEverywhere(List<String> command) {
        for (String flag : List.of("--help", "-h")) {
            Result r = run(with(command, flag));
            assertThat(r.exit()).as("%s %s: %s", command, flag, r.err()).isZero();
            assertThat(r.out()).contains("Usage:").contains(command.isEmpty() ? "mitmlab" : command.get(command.size() - 1));
            assertThat(r.err()).isEmpty();
        }
    }

    /** picocli wraps help at 80 columns: an example split over two lines would be copied and run wrongly. */
    @ParameterizedTest(name = "mitmlab {0} --help")
    @MethodSource("commands")
    void helpExamplesStayOnOneLineEach(List<String> command) {
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (String name : command) {
            cl = cl.getSubcommands().get(name);
        }
        List<String> examples = Arrays.stream(cl.getCommandSpec().usageMessage().footer())
                .filter(line -> line.startsWith("  mitmlab ")).toList();
        List<String> printed = Arrays.asList(run(with(command, "--help")).out().split("\\R"));
        for (String example : examples) {
            assertThat(printed).as("mitmlab %s --help shows this example unbroken", String.join(" ", command)).contains(example);
        }
    }

    @ParameterizedTest(name = "mitmlab {0} --version")
    @MethodSource("commands")
    void versionWorksEverywhere(List<String> command) {
        for (String flag : List.of("--version", "-V")) {
            Result r = run(with(command, flag));
            assertThat(r.exit()).as("%s %s: %s", command, flag, r.err()).isZero();
            assertThat(r.out()).startsWith("mitmlab ").contains("Java ");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void noArgumentsPrintsTheCommandList() {
        Result r = run();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("up", "demo", "domains", "ca", "proxy", "Exit codes");
    }

    // ---------------------------------------------------------------- usage errors: exit 2, one line

    @ParameterizedTest(name = "mitmlab {0}")
    @ValueSource(strings = {"--bogus", "domains --bogus", "ca export --out x.pem --bogus", "up --frobnicate=1",
        "demo --installed", "demo --installed many", "ca export --format xml --out x.pem"})
    void usageErrorsExit2WithAOneLineMessage(String line) {
        Result r = run(line.split(" "));
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        r.assertOneLineError();
    }

    @ParameterizedTest(name = "mitmlab {0}")
    @ValueSource(strings = {"frobnicate", "ca frobnicate"})
    void unknownSubcommandExits2(String line) {
        Result r = run(line.split(" "));
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void missingRequiredOptionExits2() {
        Result r = run("ca", "export", "--state-dir", stateDir());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--out");
    }

    // ---------------------------------------------------------------- domains

    @Test
    void domainsJsonIsValidWith37Targeted() throws Exception {
        Result r = run("domains", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("targetedSource").asText()).contains("Censored Planet");
        assertThat(root.get("controlSource").asText()).isNotBlank();
        List<String> targeted = new ArrayList<>();
        List<String> controls = new ArrayList<>();
        for (JsonNode site : root.get("sites")) {
            assertThat(site.get("service").asText()).isNotBlank();
            assertThat(site.get("operator").asText()).isNotBlank();
            (site.get("role").asText().equals("targeted") ? targeted : controls).add(site.get("name").asText());
        }
        assertThat(targeted).hasSize(37).containsExactlyInAnyOrderElementsOf(DomainCatalogue.kz2019().targeted());
        assertThat(controls).hasSizeGreaterThanOrEqualTo(8).contains("www.twitter.com").doesNotContain("twitter.com");
    }

    @Test
    void domainsTableListsBothGroups() {
        Result r = run("domains");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Targeted (37)").contains("Control (").contains("vk.com").contains("halykbank.kz");
    }

    // ---------------------------------------------------------------- ca export

    @ParameterizedTest(name = "--format {0}")
    @ValueSource(strings = {"pem", "der", "p12"})
    void caExportWritesTheNationalRoot(String format, @TempDir Path out) throws Exception {
        Path file = out.resolve("root." + format);
        Result r = run("ca", "export", "--format", format, "--out", file.toString(), "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(file.toString()).contains("SHA-256");
        assertThat(file).exists();
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).as("a public certificate: other users and tools may read it")
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);

        X509Certificate expected = readPem(state.resolve("national-root.pem"));
        X509Certificate actual;
        if (format.equals("p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, new char[0]);
            }
            List<String> aliases = Collections.list(ks.aliases());
            assertThat(aliases).hasSize(1);
            assertThat(ks.isCertificateEntry(aliases.get(0))).as("a trusted certificate, no key").isTrue();
            actual = (X509Certificate) ks.getCertificate(aliases.get(0));
        } else {
            if (format.equals("pem")) {
                assertThat(Files.readString(file)).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
            } else {
                assertThat(Files.readAllBytes(file)[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
            }
            actual = readPem(file);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(-1);
        assertThat(actual.getSubjectX500Principal()).isEqualTo(actual.getIssuerX500Principal());
    }

    @Test
    void caExportIntoAMissingDirectoryIsAOneLineUserError() {
        Result r = run("ca", "export", "--out", "/nonexistent/dir/x.pem", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).startsWith("mitmlab: ").contains("/nonexistent/dir/x.pem");
        assertThat(Path.of("/nonexistent/dir/x.pem")).doesNotExist();
    }

    /** Every command that writes --out FILE: the same checks, before any slow step, and nothing written on error. */
    static Stream<Arguments> outFileCommands() {
        return Stream.of(
                Arguments.of("ca export", List.of("ca", "export", "--state-dir", "STATE", "--out")),
                Arguments.of("export har", List.of("export", "har", "--state-dir", "STATE", "--out")),
                Arguments.of("capture", List.of("capture", "--state-dir", "STATE", "--seconds", "1", "--out")),
                Arguments.of("handout", List.of("handout", "hunt", "--out")));
    }

    @ParameterizedTest(name = "mitmlab {0} --out into a missing directory")
    @MethodSource("outFileCommands")
    void outIntoAMissingDirectoryIsTheSameOneLineErrorEverywhere(String command, List<String> args) throws Exception {
        Path missing = Files.createTempDirectory("mitmlab-out").resolve("no-such-dir").resolve("file.out");
        Result r = run(withOut(args, missing));
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("the directory of --out " + missing + " does not exist: create it or choose another path");
        assertThat(missing.getParent()).as("no directory is created for a mistyped path").doesNotExist();
    }

    @ParameterizedTest(name = "mitmlab {0} --out naming a directory")
    @MethodSource("outFileCommands")
    void outNamingADirectoryAsksForAFileName(String command, List<String> args) throws Exception {
        Path directory = Files.createTempDirectory("mitmlab-out");
        Result r = run(withOut(args, directory));
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--out " + directory + " is a directory: give a file name, e.g. " + directory + "/");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).as("nothing written into it").isEmpty();
        }
    }

    private static String[] withOut(List<String> args, Path out) {
        List<String> all = new ArrayList<>(args.stream().map(a -> a.equals("STATE") ? stateDir() : a).toList());
        all.add(out.toString());
        return all.toArray(String[]::new);
    }

    // ---------------------------------------------------------------- user errors: exit 3

    @Test
    void upWithAnImpossiblePortExits3() {
        Result r = run("up", "--proxy-port", "70000", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("70000");
    }

    @Test
    void upWithANonAddressBindExits3() {
        Result r = run("up", "--bind", "not-an-address", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--bind");
    }

    @Test
    void proxyWithAMissingTargetsFileExits3NamingIt() {
        Path missing = state.resolve("missing.txt");
        Result r = run("proxy", "--targets", missing.toString(), "--upstream-trust", "x", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--targets").contains(missing.toString());
    }

    @Test
    void proxyWithAMissingTrustFileExits3NamingIt(@TempDir Path dir) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Result r = run("proxy", "--targets", targets.toString(), "--upstream-trust", dir.resolve("nope.pem").toString(),
                "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("nope.pem");
    }

    @Test
    void proxyWithABadTargetsLineExits3WithFileAndLine(@TempDir Path dir) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n\nnot a host name\n");
        Result r = run("proxy", "--targets", targets.toString(), "--upstream-trust", "x", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains(targets + ":3");
    }

    @Test
    void proxyWithABadAllowUpstreamExits3(@TempDir Path dir) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Path trust = caPem(dir);
        Result r = run("proxy", "--targets", targets.toString(), "--upstream-trust", trust.toString(),
                "--allow-upstream", "example.com/24", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("example.com/24");
    }

    @Test
    void proxyWithAnImpossiblePortExits3(@TempDir Path dir) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Path trust = caPem(dir);
        Result r = inBackground(120, "proxy", "--targets", targets.toString(), "--upstream-trust", trust.toString(),
                "--port", "70000", "--events", "none", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("70000").contains("--port");
    }

    @Test
    void demoWithNoUsersExits3() {
        Result r = run("demo", "--installed", "0", "--refused", "0", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--installed").contains("--refused");
    }

    @Test
    void demoWithNegativeUsersExits3() {
        Result r = run("demo", "--installed", "-1", "--refused", "2", "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
    }

    // ---------------------------------------------------------------- real labs on 127.0.0.1

    @Test
    void demoRunsALabAndPrintsARowPerDomain() {
        Result r = inBackground(200, "demo", "--state-dir", stateDir(), "--installed", "1", "--refused", "1");
        assertThat(r.exit()).as("out:%n%s%nerr:%n%s", r.out(), r.err()).isZero();
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        List<String> rows = r.out().lines().toList();
        for (String host : catalogue.targeted()) {
            assertThat(rows).as(host).anySatisfy(line -> assertThat(Arrays.asList(line.trim().split("\\s+")))
                    .startsWith(host, "targeted"));
        }
        for (String host : catalogue.controls()) {
            assertThat(rows).as(host).anySatisfy(line -> assertThat(Arrays.asList(line.trim().split("\\s+")))
                    .startsWith(host, "control"));
        }
        assertThat(r.out()).contains("As in July 2019");
        assertThat(r.out()).doesNotContain("\n! ");
        assertThat(state.resolve("lab.json")).as("a demo lab is not advertised").doesNotExist();
    }

    @Test
    void upOnABusyPortFailsFastWithExit3() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Result r = inBackground(200, "up", "--state-dir", stateDir(), "--proxy-port", String.valueOf(busy.getLocalPort()));
            assertThat(r.exit()).as("out:%n%s%nerr:%n%s", r.out(), r.err()).isEqualTo(ExitCodes.USER_ERROR);
            r.assertOneLineError();
            assertThat(r.err()).contains("already in use").contains(String.valueOf(busy.getLocalPort()));
        }
        assertThat(state.resolve("lab.json")).as("a lab that did not start is not advertised").doesNotExist();
    }

    @Test
    void proxyOnABusyPortFailsFastWithExit3(@TempDir Path dir) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Path trust = caPem(dir);
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Result r = inBackground(120, "proxy", "--targets", targets.toString(), "--upstream-trust", trust.toString(),
                    "--port", String.valueOf(busy.getLocalPort()), "--events", "none", "--state-dir", stateDir());
            assertThat(r.exit()).as("out:%n%s%nerr:%n%s", r.out(), r.err()).isEqualTo(ExitCodes.USER_ERROR);
            r.assertOneLineError();
            assertThat(r.err()).contains("already in use").contains(String.valueOf(busy.getLocalPort()));
            assertThat(r.err()).as("the proxy command's flag is --port").doesNotContain("--proxy-port");
        }
    }

    @Test
    void proxyOnABusyPortSaysSoBeforeItsWarmUpAndFirstPki(@TempDir Path dir) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Path trust = caPem(dir);
        Path fresh = dir.resolve("fresh-state");
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Result r = inBackground(120, "proxy", "--targets", targets.toString(), "--upstream-trust", trust.toString(),
                    "--port", String.valueOf(busy.getLocalPort()), "--events", "none", "--warm-up", "3",
                    "--state-dir", fresh.toString());
            assertThat(r.exit()).as("out:%n%s%nerr:%n%s", r.out(), r.err()).isEqualTo(ExitCodes.USER_ERROR);
            r.assertOneLineError();
            assertThat(r.err()).contains("127.0.0.1:" + busy.getLocalPort() + " is already in use").contains("--port");
            assertThat(r.out()).as("the warm-up did not run for a proxy that cannot listen").doesNotContain("Warmed up");
            assertThat(fresh.resolve("national-root.pem")).as("no national root was generated either").doesNotExist();
        }
    }

    @Test
    void upOnABusyDashboardPortSaysSoBeforeGeneratingAnything(@TempDir Path dir) throws Exception {
        Path fresh = dir.resolve("fresh-state");
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Result r = inBackground(200, "up", "--state-dir", fresh.toString(), "--proxy-port", "0",
                    "--dashboard-port", String.valueOf(busy.getLocalPort()));
            assertThat(r.exit()).as("out:%n%s%nerr:%n%s", r.out(), r.err()).isEqualTo(ExitCodes.USER_ERROR);
            r.assertOneLineError();
            assertThat(r.err()).contains("127.0.0.1:" + busy.getLocalPort() + " is already in use").contains("--dashboard-port");
            assertThat(r.out()).doesNotContain("Generating");
            assertThat(fresh.resolve("national-root.pem")).doesNotExist();
        }
    }

    /** 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine; nothing is sent to it. */
    @ParameterizedTest
    @ValueSource(strings = {"up", "proxy", "internet"})
    void aBindAddressThisMachineDoesNotHaveIsAUserError(String command, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of(command, "--bind", "192.0.2.1", "--state-dir", dir.resolve("state").toString()));
        if (command.equals("proxy")) {
            args.addAll(List.of("--targets", Files.writeString(dir.resolve("targets.txt"), "vk.com\n").toString(),
                    "--upstream-trust", caPem(dir).toString(), "--events", "none"));
        }
        Result r = inBackground(200, args.toArray(String[]::new));
        assertThat(r.exit()).as("out:%n%s%nerr:%n%s", r.out(), r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--bind 192.0.2.1 is not an address of this machine").contains("127.0.0.1");
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a command that could block (a lab that starts by mistake) on a daemon thread, bounded. */
    private static Result inBackground(int seconds, String... args) {
        Future<Result> f = background.submit(() -> run(args));
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("mitmlab " + String.join(" ", args) + " did not return within " + seconds
                    + " s (it should fail fast, before blocking)");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A PEM CA file (the national root, exported through the CLI itself). */
    private static Path caPem(Path dir) {
        Path pem = dir.resolve("trust.pem");
        Result r = run("ca", "export", "--out", pem.toString(), "--state-dir", stateDir());
        assertThat(r.exit()).as(r.err()).isZero();
        return pem;
    }

    private static X509Certificate readPem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String[] with(List<String> command, String flag) {
        List<String> all = new ArrayList<>(command);
        all.add(flag);
        return all.toArray(String[]::new);
    }
}
