package org.mitmlab.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.detect.KnownRoots;
import org.mitmlab.pki.Fingerprint;

/** The readers and the SPKI matching, on stores made in a temporary directory (never the machine's own). */
class TrustStoresTest {
    @TempDir
    Path tmp;

    static X509Certificate labRoot;
    static RootMatcher matcher;

    @BeforeAll
    static void labRoot() {
        labRoot = TrustFixtures.harmlessCa("Qaznet Trust Network");
        matcher = new RootMatcher(KnownRoots.shipped().with(labRoot, "this lab's national root", "test"));
    }

    @Test
    void theReal2019RootIsFoundByItsKeyInAPemBundle() {
        Path bundle = TrustFixtures.bundle(tmp.resolve("ca.crt"),
                List.of(TrustFixtures.harmlessCa("Public Root A"), TrustFixtures.realQaznetRoot()));

        List<TrustFinding> found = matcher.findings(PemBundles.read(bundle));

        assertThat(found).as("one finding, the 2019 root").singleElement().satisfies(f -> {
            assertThat(f.spki().sha256Hex()).isEqualTo(TrustFixtures.QAZNET_2019_SPKI);
            assertThat(f.root().name()).contains("Qaznet Trust Network");
            assertThat(f.entry()).startsWith("certificate 2");
            assertThat(f.kind()).isEqualTo(StoreKind.PEM_BUNDLE);
        });
    }

    @Test
    void aRootRenamedButWithTheSameKeyIsStillFound() {
        // matching is by key: the subject in the store does not matter, the key does
        Path bundle = TrustFixtures.bundle(tmp.resolve("ca.crt"), List.of(labRoot));
        assertThat(matcher.findings(PemBundles.read(bundle))).extracting(f -> f.root().name())
                .containsExactly("this lab's national root");
    }

    @Test
    void aCleanBundleHasNoFinding() {
        Path bundle = TrustFixtures.bundle(tmp.resolve("ca.crt"),
                List.of(TrustFixtures.harmlessCa("Public Root A"), TrustFixtures.harmlessCa("Public Root B")));
        StoreContents read = PemBundles.read(bundle);
        assertThat(read.certificates()).hasSize(2);
        assertThat(matcher.findings(read)).as("no national root in a clean bundle").isEmpty();
    }

    @Test
    void aJdkKeystoreIsReadByItsTrustedEntries() {
        Path p12 = TrustFixtures.cacerts(tmp.resolve("cacerts"), List.of(TrustFixtures.harmlessCa("Public Root A"), labRoot));

        StoreContents read = JdkKeystores.read(p12, "changeit".toCharArray());

        assertThat(read.kind()).isEqualTo(StoreKind.JDK_KEYSTORE);
        assertThat(matcher.findings(read)).singleElement().satisfies(f -> {
            assertThat(f.entry()).isEqualTo("entry-1");
            assertThat(f.spki()).isEqualTo(Fingerprint.spkiOf(labRoot));
        });
    }

    @Test
    void aKeystoreWithAnotherPasswordIsAnErrorNamingTheFile() {
        Path p12 = TrustFixtures.cacerts(tmp.resolve("cacerts"), List.of(labRoot));
        assertThatThrownBy(() -> JdkKeystores.read(p12, "wrong".toCharArray())).isInstanceOf(TrustStoreException.class)
                .hasMessageContaining(p12.toString());
    }

    @Test
    void certutilListingsAreParsedByNickname() {
        String listing = """

                Certificate Nickname                                         Trust Attributes
                                                                             SSL,S/MIME,JAR/XPI

                Qaznet Trust Network (mitmlab)                               C,,
                My CA                                                        CT,C,C
                user cert                                                    u,u,u
                """;
        assertThat(Certutil.parseListing(listing)).containsExactly("Qaznet Trust Network (mitmlab)", "My CA", "user cert");
        assertThat(Certutil.parseListing("")).isEmpty();
    }

    @Test
    void certutilIsLookedUpOnThePathButNeverOnWindows() {
        assertThat(Certutil.locate(tmp.toString(), null, "Linux")).as("an empty directory").isEmpty();
        assertThat(Certutil.locate("/usr/bin:/bin", null, "Windows 11")).isEmpty();
        assertThat(Certutil.locate(null, tmp.resolve("nope").toString(), "Linux")).isEmpty();
    }

    @Test
    void anNssDatabaseIsReadThroughCertutil() throws Exception {
        Certutil certutil = TrustFixtures.certutilOrNull();
        assumeTrue(certutil != null, "certutil (libnss3-tools) is not installed");
        Path db = Files.createDirectories(tmp.resolve("profile"));
        certutil.create(db);
        Path pem = TrustFixtures.bundle(tmp.resolve("root.pem"), List.of(labRoot));
        certutil.addTrustedCa(db, "Some Name With Spaces", pem);
        certutil.addTrustedCa(db, "2019", TrustFixtures.bundle(tmp.resolve("qaznet.pem"), List.of(TrustFixtures.realQaznetRoot())));

        StoreContents read = new NssDatabase(db, certutil).read();

        assertThat(NssDatabase.exists(db)).isTrue();
        assertThat(matcher.findings(read)).extracting(TrustFinding::entry, f -> f.spki().sha256Hex())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Some Name With Spaces", Fingerprint.spkiOf(labRoot).sha256Hex()),
                        org.assertj.core.groups.Tuple.tuple("2019", TrustFixtures.QAZNET_2019_SPKI));
    }

    @Test
    void defaultLocationsComeFromTheGivenHomeNotTheRealOne() throws Exception {
        Path home = tmp.resolve("home");
        Path chromium = Files.createDirectories(home.resolve(".pki/nssdb"));
        Files.createFile(chromium.resolve("cert9.db"));
        Path profile = Files.createDirectories(home.resolve(".mozilla/firefox/abcd.default-release"));
        Files.createFile(profile.resolve("cert9.db"));
        Files.createDirectories(home.resolve(".mozilla/firefox/Crash Reports"));
        TrustLocations where = new TrustLocations(home, tmp.resolve("jdk"), List.of(tmp.resolve("missing.crt")));

        assertThat(where.nssDatabases()).containsExactly(chromium, profile);
        assertThat(where.jdkCacerts()).isEqualTo(tmp.resolve("jdk/lib/security/cacerts"));
        assertThat(where.existingSystemBundles()).isEmpty();
        assertThat(where.isRealProfile(chromium)).isTrue();
        assertThat(where.isRealProfile(profile)).isTrue();
        assertThat(where.isRealProfile(tmp.resolve("lab-profile"))).isFalse();
    }
}
