package org.mitmlab.cli;

import org.mitmlab.testing.CliRun;
import org.mitmlab.testing.CliRun.Result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.trust.Certutil;
import org.mitmlab.trust.TrustFixtures;

/**
 * {@code mitmlab trust} through {@link Main#run}. Every store is made in a temporary directory, and the
 * defaults point at a fake home and a fake JDK (system properties), so no test reads or changes the
 * real ~/.pki/nssdb or the real cacerts. The system bundle is always given with --system-bundle.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrustCommandTest {
    @TempDir
    static Path state;

    @TempDir
    Path tmp;

    static X509Certificate labRoot;
    static String labSpki;

    Path home;
    Path cleanBundle;

    @BeforeAll
    static void nationalRoot() {
        labRoot = NationalPki.loadOrGenerate(state, Clock.systemUTC(), new SecureRandom(), NationalPki.DEFAULT_VALIDITY)
                .pki().root().certificate();
        labSpki = Fingerprint.spkiOf(labRoot).sha256Hex();
    }

    @BeforeEach
    void fakeHomeAndJdk() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        System.setProperty(TrustCommand.HOME_PROPERTY, home.toString());
        System.setProperty(TrustCommand.JAVA_HOME_PROPERTY, tmp.resolve("no-jdk").toString());
        cleanBundle = TrustFixtures.bundle(tmp.resolve("clean.crt"),
                List.of(TrustFixtures.harmlessCa("Public Root A"), TrustFixtures.harmlessCa("Public Root B")));
    }

    @AfterEach
    void restore() {
        System.clearProperty(TrustCommand.HOME_PROPERTY);
        System.clearProperty(TrustCommand.JAVA_HOME_PROPERTY);
        System.clearProperty(TrustCommand.CERTUTIL_PROPERTY);
    }


    static Result run(String... args) {
        return CliRun.run(args);
    }

    /** {@code trust check} with the state dir and the clean bundle, then {@code more}. */
    static Result check(Path bundle, String... more) {
        List<String> args = new ArrayList<>(List.of("trust", "check", "--state-dir", state.toString(),
                "--system-bundle", bundle.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    static Certutil certutil() {
        Certutil c = TrustFixtures.certutilOrNull();
        assumeTrue(c != null, "certutil (libnss3-tools) is not installed");
        return c;
    }

    private Path nssDbWith(Path dir, String nickname, X509Certificate ca) throws Exception {
        Certutil c = certutil();
        Files.createDirectories(dir);
        c.create(dir);
        c.addTrustedCa(dir, nickname, TrustFixtures.bundle(tmp.resolve(nickname.replace(' ', '-') + ".pem"), List.of(ca)));
        return dir;
    }

    // ---------------------------------------------------------------- check

    @Test
    void aCleanMachineHasNothingToReport() {
        Result r = check(cleanBundle, "--jdk-cacerts",
                TrustFixtures.cacerts(tmp.resolve("cacerts"), List.of(TrustFixtures.harmlessCa("Public Root C"))).toString());

        assertThat(r.exit()).as("out: %s err: %s", r.out(), r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).doesNotContain("FOUND")
                .contains("Checked 2 trust stores (3 certificates): no national or known interception root is installed.");
    }

    @Test
    void theLabRootInAJdkKeystoreIsFound() {
        Path cacerts = TrustFixtures.cacerts(tmp.resolve("cacerts"), List.of(TrustFixtures.harmlessCa("Public Root C"), labRoot));

        Result r = check(cleanBundle, "--jdk-cacerts", cacerts.toString());

        assertThat(r.exit()).as("out: %s err: %s", r.out(), r.err()).isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED).isEqualTo(12);
        assertThat(r.out().lines().filter(l -> l.startsWith("FOUND"))).as("one line per finding").singleElement()
                .asString().contains("JDK keystore " + cacerts).contains("entry \"entry-1\"")
                .contains("this lab's").contains("Qaznet Trust Network").contains("SPKI SHA-256 " + labSpki);
        assertThat(r.out()).contains("1 national/interception root is installed");
    }

    @Test
    void theLabRootInAPemBundleIsFound() {
        Path bundle = TrustFixtures.bundle(tmp.resolve("ca-certificates.crt"), List.of(TrustFixtures.harmlessCa("Public Root A"), labRoot));

        Result r = check(bundle);

        assertThat(r.exit()).isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED);
        assertThat(r.out()).contains("FOUND  system bundle " + bundle).contains(labSpki);
    }

    @Test
    void theReal2019QaznetRootIsFoundByItsKey() {
        Path bundle = TrustFixtures.bundle(tmp.resolve("ca-bundle.crt"), List.of(TrustFixtures.realQaznetRoot()));

        Result r = check(bundle, "--json");

        assertThat(r.exit()).isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED);
        JsonNode json = readJson(r.out());
        assertThat(json.path("exitCode").asInt()).isEqualTo(12);
        assertThat(json.path("findings")).hasSize(1);
        JsonNode f = json.path("findings").get(0);
        assertThat(f.path("spkiSha256").asText()).isEqualTo(TrustFixtures.QAZNET_2019_SPKI);
        assertThat(f.path("root").asText()).contains("Qaznet Trust Network (Kazakhstan, 2019 root)");
        assertThat(f.path("store").asText()).isEqualTo("pem-bundle");
        assertThat(f.path("location").asText()).isEqualTo(bundle.toString());
    }

    @Test
    void theLabRootInAnNssDatabaseIsFound() throws Exception {
        Path db = nssDbWith(tmp.resolve("lab-profile"), "Security Certificate", labRoot);

        Result r = check(cleanBundle, "--nss-db", db.toString());

        assertThat(r.exit()).as("out: %s err: %s", r.out(), r.err()).isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED);
        assertThat(r.out()).contains("FOUND  NSS database " + db + "  entry \"Security Certificate\"").contains(labSpki);
    }

    @Test
    void theDefaultNssDatabasesAreThoseOfTheHomeDirectory() throws Exception {
        nssDbWith(home.resolve(".pki/nssdb"), "chromium", labRoot);
        nssDbWith(home.resolve(".mozilla/firefox/x1y2.default-release"), "firefox", TrustFixtures.realQaznetRoot());

        Result r = check(cleanBundle);

        assertThat(r.exit()).isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED);
        assertThat(r.out()).contains("NSS database " + home.resolve(".pki/nssdb") + "  entry \"chromium\"")
                .contains("NSS database " + home.resolve(".mozilla/firefox/x1y2.default-release") + "  entry \"firefox\"")
                .contains("skipped  JDK keystore " + tmp.resolve("no-jdk/lib/security/cacerts") + ": not found")
                .contains("2 national/interception roots are installed");
    }

    @Test
    void withoutCertutilNssIsSkippedWithOneLine() {
        System.setProperty(TrustCommand.CERTUTIL_PROPERTY, tmp.resolve("no-certutil").toString());

        Result r = check(cleanBundle);

        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.err().strip()).as("one line on stderr").doesNotContain("\n").contains("certutil not found")
                .contains("libnss3-tools").contains("skipping NSS");
    }

    @Test
    void aMissingExplicitStoreIsAUserError() {
        Result r = check(cleanBundle, "--jdk-cacerts", tmp.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err().strip()).doesNotContain("\n").contains("--jdk-cacerts").contains("does not exist");
    }

    // ---------------------------------------------------------------- install and remove

    @Test
    void installThenRemoveRoundTripsOnAThrowAwayProfile() throws Exception {
        certutil();
        Path db = tmp.resolve("throw-away-profile");

        Result installed = run("trust", "install", "--state-dir", state.toString(), "--nss-db", db.toString());
        assertThat(installed.exit()).as("install: %s %s", installed.out(), installed.err()).isZero();
        assertThat(installed.out()).contains("Created an empty NSS database").contains("Installed the lab's national root");
        assertThat(check(cleanBundle, "--nss-db", db.toString()).exit()).as("check after install")
                .isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED);

        Result again = run("trust", "install", "--state-dir", state.toString(), "--nss-db", db.toString());
        assertThat(again.out()).as("installing twice is harmless").contains("already installed");

        // the real 2019 root, under a nickname of the user's choosing, goes too
        certutil().addTrustedCa(db, "kz gov", TrustFixtures.bundle(tmp.resolve("kz.pem"), List.of(TrustFixtures.realQaznetRoot())));
        certutil().addTrustedCa(db, "Public Root A", TrustFixtures.bundle(tmp.resolve("a.pem"), List.of(TrustFixtures.harmlessCa("A"))));

        Result removed = run("trust", "remove", "--state-dir", state.toString(), "--nss-db", db.toString());
        assertThat(removed.exit()).as("remove: %s %s", removed.out(), removed.err()).isZero();
        assertThat(removed.out()).contains("removed  \"" + TrustCommand.NICKNAME + "\"").contains("removed  \"kz gov\"")
                .contains("Removed 2 national/interception roots");
        assertThat(check(cleanBundle, "--nss-db", db.toString()).exit()).as("check after remove").isEqualTo(ExitCodes.OK);
        assertThat(certutil().nicknames(db)).as("other CAs stay").containsExactly("Public Root A");

        Result nothing = run("trust", "remove", "--state-dir", state.toString(), "--nss-db", db.toString());
        assertThat(nothing.exit()).isZero();
        assertThat(nothing.out()).contains("nothing removed");
    }

    @ParameterizedTest(name = "trust {0} refuses the real profile")
    @ValueSource(strings = {"install", "remove"})
    void theRealProfileIsRefusedUnlessConfirmed(String sub) throws Exception {
        Path real = home.resolve(".pki/nssdb");

        Result r = run("trust", sub, "--state-dir", state.toString(), "--nss-db", real.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err().strip()).doesNotContain("\n").contains("real browser profile").contains("--yes-this-is-my-profile");
        assertThat(real).as("nothing created").doesNotExist();
    }

    @Test
    void theRealProfileCanBeChangedWhenConfirmed() {
        certutil();
        Path real = home.resolve(".pki/nssdb"); // the fake home's, never the real one
        Result r = run("trust", "install", "--state-dir", state.toString(), "--nss-db", real.toString(), "--yes-this-is-my-profile");
        assertThat(r.exit()).as("%s %s", r.out(), r.err()).isZero();
        assertThat(check(cleanBundle).exit()).as("found by default").isEqualTo(ExitCodes.INTERCEPTION_ROOT_INSTALLED);
        assertThat(run("trust", "remove", "--state-dir", state.toString(), "--nss-db", real.toString(), "--yes-this-is-my-profile")
                .exit()).isZero();
        assertThat(check(cleanBundle).exit()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void installWithoutCertutilSaysWhatToInstall() {
        System.setProperty(TrustCommand.CERTUTIL_PROPERTY, tmp.resolve("no-certutil").toString());
        Result r = run("trust", "install", "--state-dir", state.toString(), "--nss-db", tmp.resolve("p").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err().strip()).doesNotContain("\n").contains("libnss3-tools");
    }

    // ---------------------------------------------------------------- help

    @ParameterizedTest(name = "mitmlab {0} --help")
    @ValueSource(strings = {"trust", "trust check", "trust install", "trust remove"})
    void helpWorks(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Result r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage:").contains(command.substring(command.lastIndexOf(' ') + 1));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void mitmlabWithoutArgumentsListsTrust() {
        assertThat(run("--help").out()).contains("trust");
        assertThat(run("trust", "check", "--help").out()).contains("12 a national/interception root is installed");
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
