package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;
import static org.mitmlab.pki.PkiTestSupport.FIXED_NOW;
import static org.mitmlab.pki.PkiTestSupport.OWNER_ONLY;
import static org.mitmlab.pki.PkiTestSupport.REAL_INTERMEDIATE;
import static org.mitmlab.pki.PkiTestSupport.REAL_ROOT;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's national root and intermediate: shaped like the 2019 "Qaznet Trust Network" root and
 * "Security Certificate" intermediate (docs/kazakhstan-2019.md, section 2), stored safely on disk,
 * and regenerated when stale. The PKI is generated once for the whole class (RSA-4096 is slow), by
 * {@link NationalPki#loadOrGenerate} into a class-wide directory that tests only read or copy.
 */
class NationalPkiTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path classDir;

    private static Path storeDir;
    private static NationalPki.Loaded firstLoad;
    private static NationalPki pki;
    private static X509Certificate root;
    private static X509Certificate intermediate;
    private static X509Certificate realRoot;
    private static X509Certificate realIntermediate;

    @BeforeAll
    static void generateOnceIntoAStore() {
        storeDir = classDir.resolve("national");
        firstLoad = NationalPki.loadOrGenerate(storeDir, FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        pki = firstLoad.pki();
        root = pki.root().certificate();
        intermediate = pki.intermediate().certificate();
        realRoot = PkiTestSupport.realCertificate(REAL_ROOT);
        realIntermediate = PkiTestSupport.realCertificate(REAL_INTERMEDIATE);
    }

    // ---- shape of the certificates --------------------------------------------------------

    @Test
    void rootAndIntermediateNamesAreByteForByteThoseOf2019() {
        assertThat(PkiTestSupport.subjectDer(root)).as("root subject DER = real 'Qaznet Trust Network' subject")
                .isEqualTo(PkiTestSupport.subjectDer(realRoot));
        assertThat(PkiTestSupport.issuerDer(root)).as("root issuer DER = real root issuer (self-issued)")
                .isEqualTo(PkiTestSupport.issuerDer(realRoot));
        assertThat(PkiTestSupport.subjectDer(intermediate)).as("intermediate subject DER = real 'Security Certificate'")
                .isEqualTo(PkiTestSupport.subjectDer(realIntermediate));
        assertThat(PkiTestSupport.issuerDer(intermediate)).as("intermediate issuer DER = real intermediate issuer")
                .isEqualTo(PkiTestSupport.issuerDer(realIntermediate));
    }

    @Test
    void namesAreCountryThenCommonNameAsPrintableStrings() {
        assertPrintableCountryAndCn(root, "subject of root", X500Name.getInstance(PkiTestSupport.subjectDer(root)),
                NationalPki.ROOT_CN);
        assertPrintableCountryAndCn(intermediate, "subject of intermediate",
                X500Name.getInstance(PkiTestSupport.subjectDer(intermediate)), NationalPki.INTERMEDIATE_CN);
        assertPrintableCountryAndCn(intermediate, "issuer of intermediate",
                X500Name.getInstance(PkiTestSupport.issuerDer(intermediate)), NationalPki.ROOT_CN);
    }

    private static void assertPrintableCountryAndCn(X509Certificate c, String what, X500Name name, String cn) {
        RDN[] rdns = name.getRDNs();
        assertThat(rdns).as("%s has two single-valued RDNs", what).hasSize(2);
        assertThat(Stream.of(rdns).map(RDN::isMultiValued)).as("%s: no multi-valued RDN", what).containsOnly(false);
        AttributeTypeAndValue country = rdns[0].getFirst();
        AttributeTypeAndValue common = rdns[1].getFirst();
        assertThat(country.getType()).as("%s: first RDN is C", what).isEqualTo(BCStyle.C);
        assertThat(common.getType()).as("%s: second RDN is CN", what).isEqualTo(BCStyle.CN);
        assertThat((ASN1Encodable) country.getValue()).as("%s: C is a PrintableString", what)
                .isInstanceOf(ASN1PrintableString.class);
        assertThat((ASN1Encodable) common.getValue()).as("%s: CN is a PrintableString", what)
                .isInstanceOf(ASN1PrintableString.class);
        assertThat(((ASN1PrintableString) country.getValue()).getString()).as("%s: C", what).isEqualTo("KZ");
        assertThat(((ASN1PrintableString) common.getValue()).getString()).as("%s: CN", what).isEqualTo(cn);
    }

    @Test
    void rootIsRsa4096AndIntermediateRsa2048BothWithExponent65537AndSha256WithRsa() {
        assertThat(root.getPublicKey().getAlgorithm()).as("root key algorithm").isEqualTo("RSA");
        assertThat(PkiTestSupport.rsaKey(root).getModulus().bitLength()).as("root modulus bits").isEqualTo(4096);
        assertThat(PkiTestSupport.rsaKey(root).getPublicExponent()).as("root public exponent")
                .isEqualTo(BigInteger.valueOf(65537));
        assertThat(intermediate.getPublicKey().getAlgorithm()).as("intermediate key algorithm").isEqualTo("RSA");
        assertThat(PkiTestSupport.rsaKey(intermediate).getModulus().bitLength()).as("intermediate modulus bits")
                .isEqualTo(2048);
        assertThat(PkiTestSupport.rsaKey(intermediate).getPublicExponent()).as("intermediate public exponent")
                .isEqualTo(BigInteger.valueOf(65537));
        for (X509Certificate c : List.of(root, intermediate)) {
            assertThat(c.getSigAlgOID()).as("signature of %s is sha256WithRSAEncryption", c.getSubjectX500Principal())
                    .isEqualTo("1.2.840.113549.1.1.11");
            assertThat(c.getVersion()).as("%s is X.509 v3", c.getSubjectX500Principal()).isEqualTo(3);
        }
        assertThat(pki.root().signatureAlgorithm()).as("the root signs with").isEqualTo("SHA256withRSA");
        assertThat(pki.intermediate().signatureAlgorithm()).as("the intermediate signs with").isEqualTo("SHA256withRSA");
    }

    @Test
    void extensionsAppearInThe2019OrderWithThe2019Criticality() {
        assertThat(PkiTestSupport.extensionOrderWithCriticality(root)).as("root extensions, in TBS order")
                .containsExactly("BC critical", "SKI", "AKI", "KU critical")
                .isEqualTo(PkiTestSupport.extensionOrderWithCriticality(realRoot));
        assertThat(PkiTestSupport.extensionOrderWithCriticality(intermediate)).as("intermediate extensions, in TBS order")
                .containsExactly("BC critical", "KU critical", "SKI", "AKI")
                .isEqualTo(PkiTestSupport.extensionOrderWithCriticality(realIntermediate));
    }

    @Test
    void keyUsageAndBasicConstraintsAreThoseOf2019() {
        assertThat(root.getKeyUsage()).as("root keyUsage bits (nonRepudiation, keyCertSign, cRLSign)")
                .isEqualTo(realRoot.getKeyUsage())
                .isEqualTo(new boolean[] {false, true, false, false, false, true, true, false, false});
        assertThat(intermediate.getKeyUsage()).as("intermediate keyUsage bits (keyCertSign, cRLSign)")
                .isEqualTo(realIntermediate.getKeyUsage())
                .isEqualTo(new boolean[] {false, false, false, false, false, true, true, false, false});
        assertThat(root.getBasicConstraints()).as("root is a CA without pathLen (JDK reports MAX_VALUE)")
                .isEqualTo(realRoot.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(intermediate.getBasicConstraints()).as("intermediate is a CA without pathLen")
                .isEqualTo(realIntermediate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rootAuthorityKeyIdentifierIsItsOwnKeyIdOnly() throws Exception {
        AuthorityKeyIdentifier aki = PkiTestSupport.authorityKeyId(root);
        assertThat(PkiTestSupport.authorityKeyIdTags(root)).as("root AKI fields: [0] keyid only, like the real root")
                .containsExactly(0).isEqualTo(PkiTestSupport.authorityKeyIdTags(realRoot));
        assertThat(aki.getKeyIdentifier()).as("root AKI keyid = root SKI").isEqualTo(PkiTestSupport.subjectKeyId(root));
        assertThat(PkiTestSupport.subjectKeyId(root)).as("root SKI = SHA-1 of its subjectPublicKey")
                .isEqualTo(PkiTestSupport.sha1KeyIdOf(root));
        assertThat(aki.getAuthorityCertIssuer()).as("root AKI has no DirName").isNull();
        assertThat(aki.getAuthorityCertSerialNumber()).as("root AKI has no serial").isNull();
    }

    @Test
    void intermediateAuthorityKeyIdentifierIsRootKeyIdRootNameAndRootSerial() throws Exception {
        AuthorityKeyIdentifier aki = PkiTestSupport.authorityKeyId(intermediate);
        assertThat(PkiTestSupport.authorityKeyIdTags(intermediate)).as("intermediate AKI fields: keyid, DirName, serial")
                .containsExactly(0, 1, 2).isEqualTo(PkiTestSupport.authorityKeyIdTags(realIntermediate));
        assertThat(aki.getKeyIdentifier()).as("intermediate AKI keyid = root SKI")
                .isEqualTo(PkiTestSupport.subjectKeyId(root));
        assertThat(PkiTestSupport.authorityKeyIdDirName(intermediate)).as("intermediate AKI DirName = root's issuer name")
                .isEqualTo(PkiTestSupport.issuerDer(root))
                .isEqualTo(PkiTestSupport.subjectDer(realRoot));
        assertThat(aki.getAuthorityCertSerialNumber()).as("intermediate AKI serial = root serial")
                .isEqualTo(root.getSerialNumber());
        assertThat(PkiTestSupport.subjectKeyId(intermediate)).as("intermediate SKI = SHA-1 of its subjectPublicKey")
                .isEqualTo(PkiTestSupport.sha1KeyIdOf(intermediate));
    }

    @Test
    void intermediateSerialIsItsSubjectKeyIdentifier() {
        byte[] ski = PkiTestSupport.subjectKeyId(intermediate);
        assertThat(intermediate.getSerialNumber()).as("intermediate serial, read as an unsigned number, = its SKI")
                .isEqualTo(new BigInteger(1, ski));
        assertThat(intermediate.getSerialNumber().signum()).as("serial is positive").isPositive();
        assertThat(root.getSerialNumber().toByteArray()).as("root serial is 20 bytes in DER, like the real one")
                .hasSize(20).hasSameSizeAs(realRoot.getSerialNumber().toByteArray());
    }

    @Test
    void bothCertificatesLastThirtyDaysNotThirtyYears() {
        Instant expectedStart = FIXED_NOW.minus(Duration.ofHours(1));
        for (X509Certificate c : List.of(root, intermediate)) {
            assertThat(c.getNotBefore().toInstant()).as("%s notBefore = generation time - 1 h", c.getSubjectX500Principal())
                    .isEqualTo(expectedStart);
            assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
                    .as("%s validity = NationalPki.DEFAULT_VALIDITY (deliberately short; 2019: 30 y / 3 y)",
                            c.getSubjectX500Principal())
                    .isEqualTo(NationalPki.DEFAULT_VALIDITY).isEqualTo(Duration.ofDays(30));
        }
    }

    @Test
    void chainValidatesWithPkixAndStopsValidatingOnceExpired() throws Exception {
        List<X509Certificate> path = List.of(intermediate);
        assertThat(PkiTestSupport.validationFailure(path, List.of(root), FIXED_NOW))
                .as("PKIX (revocation off) validates intermediate -> lab root").isNull();
        root.verify(root.getPublicKey());
        intermediate.verify(root.getPublicKey());

        CertPathValidatorException late = PkiTestSupport.validationFailure(path, List.of(root),
                FIXED_NOW.plus(Duration.ofDays(31)));
        assertThat(late).as("31 days later the path no longer validates").isNotNull();
        assertThat(late).as("because a certificate expired").hasCauseInstanceOf(CertificateExpiredException.class);

        CertPathValidatorException realAnchor = PkiTestSupport.validationFailure(path, List.of(realRoot), FIXED_NOW);
        assertThat(realAnchor).as("the real 2019 root (same name, other key) does not vouch for the lab intermediate")
                .isNotNull();
    }

    @Test
    void toStringOfTheNationalPkiNeverPrintsAPrivateKey() {
        String text = pki.toString() + firstLoad;
        String rootPrivateExponent = ((java.security.interfaces.RSAPrivateKey) pki.root().key()).getPrivateExponent().toString();
        assertThat(text).as("NationalPki/Loaded toString").doesNotContain(rootPrivateExponent)
                .doesNotContain("PRIVATE KEY").contains(NationalPki.ROOT_CN);
    }

    // ---- storage -----------------------------------------------------------------------------

    @Test
    void firstLoadGeneratesAndWritesOwnerOnlyKeyFiles() throws IOException {
        assumeThat(PkiTestSupport.posixFileSystem()).as("POSIX file system").isTrue();
        assertThat(firstLoad.generated()).as("first loadOrGenerate into an empty dir generates").isTrue();
        for (String key : List.of("national-root.key", "national-intermediate.key")) {
            Path file = storeDir.resolve(key);
            assertThat(Files.getPosixFilePermissions(file)).as("mode of %s", key).isEqualTo(OWNER_ONLY);
            assertThat(Files.readString(file, StandardCharsets.US_ASCII)).as("%s holds a PKCS#8 PEM key", key)
                    .startsWith("-----BEGIN " + "PRIVATE KEY-----");
        }
        assertThat(NationalPki.rootCertificateFile(storeDir)).as("root certificate file students install").exists();
        assertThat(PemFiles.readCertificates(NationalPki.rootCertificateFile(storeDir))).as("stored root certificate")
                .containsExactly(root);
        try (Stream<Path> files = Files.list(storeDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left behind")
                    .noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void secondLoadReusesTheStoredRootInsteadOfMintingANewOne() {
        NationalPki.Loaded again = NationalPki.loadOrGenerate(storeDir, FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        assertThat(again.generated()).as("second load generated").isFalse();
        assertThat(Fingerprint.of(again.pki().root().certificate())).as("root fingerprint after reload")
                .isEqualTo(Fingerprint.of(root));
        assertThat(Fingerprint.of(again.pki().intermediate().certificate())).as("intermediate fingerprint after reload")
                .isEqualTo(Fingerprint.of(intermediate));
        assertThat(again.pki().root().key().getEncoded()).as("root private key after reload")
                .isEqualTo(pki.root().key().getEncoded());
        assertThat(again.pki().intermediate().key().getEncoded()).as("intermediate private key after reload")
                .isEqualTo(pki.intermediate().key().getEncoded());
    }

    @Test
    void storedRootThatStillHasMoreThanADayLeftIsKept() {
        Clock nearEnd = Clock.fixed(root.getNotAfter().toInstant().minus(Duration.ofHours(25)), ZoneOffset.UTC);
        NationalPki.Loaded loaded = NationalPki.loadOrGenerate(storeDir, nearEnd, RANDOM, NationalPki.DEFAULT_VALIDITY);
        assertThat(loaded.generated()).as("root with 25 h left is reused").isFalse();
        assertThat(Fingerprint.of(loaded.pki().root().certificate())).as("root fingerprint").isEqualTo(Fingerprint.of(root));
    }

    @Test
    void expiredStoredRootIsRegeneratedWithOwnerOnlyKeysAndThenKept(@TempDir Path dir) throws IOException {
        copyStore(dir);
        Clock present = Clock.systemUTC();
        assumeThat(root.getNotAfter().toInstant()).as("the fixed class clock lies far enough in the past")
                .isBefore(present.instant());

        NationalPki.Loaded renewed = NationalPki.loadOrGenerate(dir, present, RANDOM, NationalPki.DEFAULT_VALIDITY);
        X509Certificate newRoot = renewed.pki().root().certificate();
        assertThat(renewed.generated()).as("expired stored root is regenerated").isTrue();
        assertThat(Fingerprint.of(newRoot)).as("new root fingerprint").isNotEqualTo(Fingerprint.of(root));
        assertThat(newRoot.getNotAfter().toInstant()).as("new root valid for 30 days from now")
                .isAfter(present.instant().plus(Duration.ofDays(29)));
        assertThat(PemFiles.readCertificates(NationalPki.rootCertificateFile(dir))).as("root file on disk replaced")
                .containsExactly(newRoot);
        if (PkiTestSupport.posixFileSystem()) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("national-root.key"))).as("replaced root key mode")
                    .isEqualTo(OWNER_ONLY);
            assertThat(Files.getPosixFilePermissions(dir.resolve("national-intermediate.key")))
                    .as("replaced intermediate key mode").isEqualTo(OWNER_ONLY);
        }

        NationalPki.Loaded kept = NationalPki.loadOrGenerate(dir, present, RANDOM, NationalPki.DEFAULT_VALIDITY);
        assertThat(kept.generated()).as("the renewed root is reused afterwards").isFalse();
        assertThat(Fingerprint.of(kept.pki().root().certificate())).as("fingerprint after renewal")
                .isEqualTo(Fingerprint.of(newRoot));
    }

    @Test
    void storedRootWithLessThanADayLeftIsRegenerated(@TempDir Path dir) throws IOException {
        copyStore(dir);
        Clock lastDay = Clock.fixed(root.getNotAfter().toInstant().minus(Duration.ofHours(23)), ZoneOffset.UTC);
        NationalPki.Loaded loaded = NationalPki.loadOrGenerate(dir, lastDay, RANDOM, NationalPki.DEFAULT_VALIDITY);
        assertThat(loaded.generated()).as("root with 23 h left is replaced").isTrue();
        assertThat(Fingerprint.of(loaded.pki().root().certificate())).as("new root fingerprint")
                .isNotEqualTo(Fingerprint.of(root));
    }

    private static void copyStore(Path target) throws IOException {
        try (Stream<Path> files = Files.list(storeDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
