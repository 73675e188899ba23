package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;
import static org.mitmlab.pki.PkiTestSupport.FIXED_NOW;
import static org.mitmlab.pki.PkiTestSupport.OWNER_ONLY;
import static org.mitmlab.pki.PkiTestSupport.REAL_ISCA_ROOT;
import static org.mitmlab.pki.PkiTestSupport.REAL_ROOT;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two national root styles: the 2020 ISCA drill root looks like the published certificate
 * (docs/kazakhstan-2019.md, section 2.3), and a state directory follows the style it is asked for,
 * regenerating when a scenario switches between 2019 and 2020 and reusing the root otherwise.
 */
class NationalPkiStylesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path classDir;

    private static Path iscaDir;
    private static NationalPki.Loaded iscaLoad;
    private static X509Certificate root;
    private static X509Certificate intermediate;
    private static X509Certificate realIsca;

    @BeforeAll
    static void generateAnIscaPki() {
        iscaDir = classDir.resolve("isca");
        iscaLoad = NationalPki.loadOrGenerate(iscaDir, RootStyle.ISCA_2020, FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        root = iscaLoad.pki().root().certificate();
        intermediate = iscaLoad.pki().intermediate().certificate();
        realIsca = PkiTestSupport.realCertificate(REAL_ISCA_ROOT);
    }

    @Test
    void stylesHaveShortIdsAndUnknownIdsNameTheAllowedOnes() {
        assertThat(RootStyle.byId("qaznet-2019")).isEqualTo(RootStyle.QAZNET_2019);
        assertThat(RootStyle.byId("ISCA-2020")).as("ids ignore case").isEqualTo(RootStyle.ISCA_2020);
        assertThat(RootStyle.ISCA_2020.id()).isEqualTo("isca-2020");
        assertThatThrownBy(() -> RootStyle.byId("isca-2024")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("isca-2024").hasMessageContaining("qaznet-2019, isca-2020");
    }

    @Test
    void iscaRootSubjectIsByteForByteTheDecember2020DrillRoot() {
        assertThat(root.getSubjectX500Principal().getName()).as("RFC 2253 prints the DER order reversed")
                .isEqualTo("C=KZ,O=ISCA,CN=Information Security Certification Authority CA");
        assertThat(PkiTestSupport.subjectDer(root)).as("subject DER (CN, O, C; all PrintableString) = the real ISCA root's")
                .isEqualTo(PkiTestSupport.subjectDer(realIsca));
        assertThat(PkiTestSupport.issuerDer(root)).as("self-issued").isEqualTo(PkiTestSupport.subjectDer(realIsca));
        assertThat(iscaLoad.pki().style()).contains(RootStyle.ISCA_2020);
    }

    @Test
    void iscaRootKeyExtensionsAndSerialAreThoseOfThePublishedCertificate() throws Exception {
        assertThat(PkiTestSupport.rsaKey(root).getModulus().bitLength()).as("root modulus bits").isEqualTo(4096);
        assertThat(PkiTestSupport.rsaKey(root).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(root.getSigAlgOID()).as("sha256WithRSAEncryption").isEqualTo(realIsca.getSigAlgOID());
        assertThat(PkiTestSupport.extensionOrderWithCriticality(root)).as("extensions in TBS order")
                .containsExactly("BC critical", "KU critical", "SKI", "AKI")
                .isEqualTo(PkiTestSupport.extensionOrderWithCriticality(realIsca));
        assertThat(root.getKeyUsage()).as("keyCertSign + cRLSign only").isEqualTo(realIsca.getKeyUsage());
        assertThat(root.getBasicConstraints()).as("CA without pathLen").isEqualTo(Integer.MAX_VALUE);

        AuthorityKeyIdentifier aki = PkiTestSupport.authorityKeyId(root);
        assertThat(PkiTestSupport.authorityKeyIdTags(root)).as("AKI: keyid, DirName, serial")
                .containsExactly(0, 1, 2).isEqualTo(PkiTestSupport.authorityKeyIdTags(realIsca));
        assertThat(aki.getKeyIdentifier()).as("AKI keyid = own SKI = SHA-1 of the key")
                .isEqualTo(PkiTestSupport.subjectKeyId(root)).isEqualTo(PkiTestSupport.sha1KeyIdOf(root));
        assertThat(PkiTestSupport.authorityKeyIdDirName(root)).as("AKI DirName = own name").isEqualTo(PkiTestSupport.subjectDer(root));
        assertThat(aki.getAuthorityCertSerialNumber()).as("AKI serial = own serial").isEqualTo(root.getSerialNumber());
        assertThat(root.getSerialNumber().toByteArray()).as("20-byte serial like the real one").hasSize(20)
                .hasSameSizeAs(realIsca.getSerialNumber().toByteArray());
        root.verify(root.getPublicKey());
    }

    @Test
    void iscaIntermediateIsAPlausibleIscaCaThatChainsToTheRoot() throws Exception {
        assertThat(intermediate.getSubjectX500Principal().getName())
                .isEqualTo("C=KZ,O=ISCA,CN=" + NationalPki.ISCA_INTERMEDIATE_CN);
        assertThat(PkiTestSupport.issuerDer(intermediate)).isEqualTo(PkiTestSupport.subjectDer(root));
        assertThat(intermediate.getBasicConstraints()).as("a CA").isEqualTo(Integer.MAX_VALUE);
        assertThat(PkiTestSupport.validationFailure(List.of(intermediate), List.of(root), FIXED_NOW))
                .as("PKIX validates intermediate -> ISCA root").isNull();
    }

    @Test
    void switchingAStateDirectoryBetweenStylesRegeneratesAndTheSameStyleReuses(@TempDir Path dir) throws Exception {
        NationalPki.Loaded qaznet = NationalPki.loadOrGenerate(dir, RootStyle.QAZNET_2019, FIXED_CLOCK, RANDOM,
                NationalPki.DEFAULT_VALIDITY);
        assertThat(qaznet.pki().root().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Qaznet Trust Network,C=KZ");
        assertThat(PkiTestSupport.subjectDer(qaznet.pki().root().certificate()))
                .isEqualTo(PkiTestSupport.subjectDer(PkiTestSupport.realCertificate(REAL_ROOT)));

        NationalPki.Loaded isca = NationalPki.loadOrGenerate(dir, RootStyle.ISCA_2020, FIXED_CLOCK, RANDOM,
                NationalPki.DEFAULT_VALIDITY);
        assertThat(isca.generated()).as("2019 root in the directory, 2020 requested: regenerated").isTrue();
        assertThat(isca.pki().style()).contains(RootStyle.ISCA_2020);
        assertThat(PemFiles.readCertificates(NationalPki.rootCertificateFile(dir))).as("root file students install")
                .containsExactly(isca.pki().root().certificate());
        if (PkiTestSupport.posixFileSystem()) {
            for (String key : List.of("national-root.key", "national-intermediate.key")) {
                assertThat(Files.getPosixFilePermissions(dir.resolve(key))).as("mode of overwritten %s", key).isEqualTo(OWNER_ONLY);
            }
        }

        NationalPki.Loaded iscaAgain = NationalPki.loadOrGenerate(dir, RootStyle.ISCA_2020, FIXED_CLOCK, RANDOM,
                NationalPki.DEFAULT_VALIDITY);
        assertThat(iscaAgain.generated()).as("same style again: reused").isFalse();
        assertThat(Fingerprint.of(iscaAgain.pki().root().certificate())).isEqualTo(Fingerprint.of(isca.pki().root().certificate()));

        NationalPki.Loaded any = NationalPki.loadOrGenerate(dir, FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        assertThat(any.generated()).as("without a style (trust, ca export, the Docker box): whatever is stored").isFalse();
        assertThat(any.pki().style()).isEqualTo(Optional.of(RootStyle.ISCA_2020));

        NationalPki.Loaded back = NationalPki.loadOrGenerate(dir, RootStyle.QAZNET_2019, FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        assertThat(back.generated()).as("a 2019 scenario again: back to a Qaznet root").isTrue();
        assertThat(back.pki().style()).isEqualTo(Optional.of(RootStyle.QAZNET_2019));
        assertThat(Fingerprint.of(back.pki().root().certificate())).as("a new key, not the first 2019 root's")
                .isNotEqualTo(Fingerprint.of(qaznet.pki().root().certificate()));
    }
}
