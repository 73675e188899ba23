package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;
import static org.mitmlab.pki.PkiTestSupport.FIXED_NOW;
import static org.mitmlab.pki.PkiTestSupport.TWO_TO_THE_32;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;

/**
 * Every rule of docs/kazakhstan-2019.md section 3 ("Forged leaf vs genuine certificate"), checked on
 * lab sites whose genuine certificates cover both key types (EC_P256, RSA_2048) and all three
 * validation levels (DV, OV, EV). One forgery per site, minted in {@link #forgeEachSiteOnce()}.
 */
class LeafForgerTest {
    /** EC DV, EC OV, RSA DV, RSA OV, RSA EV (rcku.kz: the site of the published 2019 pair). */
    static final List<String> SITES = List.of("google.com", "github.com", "mail.ru", "halykbank.kz", "rcku.kz");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static NationalPki national;
    private static WebPki webPki;
    private static DomainCatalogue catalogue;
    private static final Map<String, Pair> PAIRS = new LinkedHashMap<>();

    /** A site's genuine credential and the forged leaf made from it. */
    record Pair(LabSite site, SiteCredential genuine, ForgedLeaf forged, KeyPair forgedKey) {
        X509Certificate g() {
            return genuine.leaf();
        }

        X509Certificate f() {
            return forged.certificate();
        }

        @Override
        public String toString() {
            return site.name() + " (" + site.genuineKey() + ", " + site.validation() + ")";
        }
    }

    @BeforeAll
    static void forgeEachSiteOnce() {
        national = NationalPki.generate(FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        webPki = WebPki.generate(FIXED_CLOCK, RANDOM);
        catalogue = DomainCatalogue.kz2019();
        LeafForger forger = new LeafForger(national, ForgeryProfile.kz2019());
        for (String name : SITES) {
            LabSite site = catalogue.site(name).orElseThrow();
            SiteCredential genuine = webPki.issue(site, FIXED_CLOCK, RANDOM);
            KeyPair key = KeyType.RSA_2048.generate(RANDOM, BigInteger.valueOf(3));
            PAIRS.put(name, new Pair(site, genuine, forger.forge(name, genuine.leaf(), key, RANDOM), key));
        }
    }

    static Stream<Pair> pairs() {
        return PAIRS.values().stream();
    }

    @Test
    void siteSelectionCoversBothKeyTypesAndAllValidationLevels() {
        assertThat(PAIRS.values().stream().map(p -> p.site().genuineKey()).collect(Collectors.toSet()))
                .as("genuine key types covered").containsExactlyInAnyOrder("EC_P256", "RSA_2048");
        assertThat(PAIRS.values().stream().map(p -> p.site().validation()).collect(Collectors.toSet()))
                .as("validation levels covered").containsExactlyInAnyOrder("DV", "OV", "EV");
        for (Pair p : PAIRS.values()) {
            assertThat(p.g().getPublicKey().getAlgorithm()).as("%s genuine key algorithm", p)
                    .isEqualTo(p.site().genuineKey().startsWith("EC") ? "EC" : "RSA");
        }
    }

    // ---- copied ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void subjectIsCopiedByteForByte(Pair p) {
        assertThat(PkiTestSupport.subjectDer(p.f())).as("%s forged subject DER = genuine subject DER", p)
                .isEqualTo(PkiTestSupport.subjectDer(p.g()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void subjectAlternativeNamesAreCopiedByteForByte(Pair p) throws Exception {
        assertThat(PkiTestSupport.extensionValue(p.f(), Extension.subjectAlternativeName))
                .as("%s forged SAN value = genuine SAN value", p).isNotNull()
                .isEqualTo(PkiTestSupport.extensionValue(p.g(), Extension.subjectAlternativeName));
        assertThat(PkiTestSupport.isCritical(p.f(), Extension.subjectAlternativeName)).as("%s SAN critical", p)
                .isEqualTo(PkiTestSupport.isCritical(p.g(), Extension.subjectAlternativeName));
        assertThat(List.copyOf(p.f().getSubjectAlternativeNames())).as("%s SAN names", p)
                .isEqualTo(List.copyOf(p.g().getSubjectAlternativeNames()))
                .contains(List.of(2, p.site().name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void extendedKeyUsageAndBasicConstraintsAreCopiedWithTheirCriticality(Pair p) throws Exception {
        assertThat(PkiTestSupport.extensionValue(p.f(), Extension.extendedKeyUsage)).as("%s EKU value", p)
                .isNotNull().isEqualTo(PkiTestSupport.extensionValue(p.g(), Extension.extendedKeyUsage));
        assertThat(p.f().getExtendedKeyUsage()).as("%s EKU purposes", p)
                .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(PkiTestSupport.isCritical(p.f(), Extension.extendedKeyUsage)).as("%s EKU critical", p)
                .isEqualTo(PkiTestSupport.isCritical(p.g(), Extension.extendedKeyUsage));
        assertThat(PkiTestSupport.extensionValue(p.f(), Extension.basicConstraints)).as("%s BC value", p)
                .isNotNull().isEqualTo(PkiTestSupport.extensionValue(p.g(), Extension.basicConstraints));
        assertThat(p.f().getBasicConstraints()).as("%s is not a CA", p).isEqualTo(-1);
        assertThat(PkiTestSupport.isCritical(p.f(), Extension.basicConstraints)).as("%s BC critical", p)
                .isEqualTo(PkiTestSupport.isCritical(p.g(), Extension.basicConstraints));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void keyUsageKeepsItsBitsButLosesItsCriticalFlag(Pair p) {
        assertThat(PkiTestSupport.isCritical(p.g(), Extension.keyUsage)).as("%s genuine keyUsage is critical", p).isTrue();
        assertThat(p.f().getKeyUsage()).as("%s keyUsage bits", p).isEqualTo(p.g().getKeyUsage());
        assertThat(PkiTestSupport.extensionValue(p.f(), Extension.keyUsage)).as("%s keyUsage value bytes", p)
                .isEqualTo(PkiTestSupport.extensionValue(p.g(), Extension.keyUsage));
        assertThat(PkiTestSupport.isCritical(p.f(), Extension.keyUsage)).as("%s forged keyUsage is critical", p).isFalse();
    }

    // ---- replaced ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void issuerIsTheNationalIntermediateWhichSignedIt(Pair p) throws Exception {
        X509Certificate inter = national.intermediate().certificate();
        assertThat(PkiTestSupport.issuerDer(p.f())).as("%s issuer DER = intermediate subject DER", p)
                .isEqualTo(PkiTestSupport.subjectDer(inter));
        assertThat(p.f().getSigAlgOID()).as("%s signature algorithm sha256WithRSA", p).isEqualTo("1.2.840.113549.1.1.11");
        p.f().verify(inter.getPublicKey());
        assertThat(p.f().getVersion()).as("%s X.509 version", p).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void keyIsANewRsa2048KeyWithExponentThree(Pair p) throws Exception {
        assertThat(p.f().getPublicKey().getAlgorithm()).as("%s forged key algorithm", p).isEqualTo("RSA");
        assertThat(PkiTestSupport.rsaKey(p.f()).getModulus().bitLength()).as("%s modulus bits", p).isEqualTo(2048);
        assertThat(PkiTestSupport.rsaKey(p.f()).getPublicExponent()).as("%s public exponent", p)
                .isEqualTo(BigInteger.valueOf(3));
        assertThat(p.f().getPublicKey().getEncoded()).as("%s forged key differs from genuine key", p)
                .isNotEqualTo(p.g().getPublicKey().getEncoded());
        assertThat(p.f().getPublicKey()).as("%s certificate carries the handed key", p).isEqualTo(p.forgedKey().getPublic());
        // the private key served with the chain matches the certificate
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(p.forged().key());
        s.update(p.site().name().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] sig = s.sign();
        s.initVerify(p.f().getPublicKey());
        s.update(p.site().name().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(s.verify(sig)).as("%s ForgedLeaf.key() signs for the leaf's public key", p).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void serialKeepsItsLengthAndDiffersOnlyBelowTwoToThe32(Pair p) {
        BigInteger genuine = p.g().getSerialNumber();
        BigInteger forged = p.f().getSerialNumber();
        assertThat(PkiTestSupport.serialDer(p.f())).as("%s serial DER length", p)
                .hasSameSizeAs(PkiTestSupport.serialDer(p.g()));
        assertThat(forged).as("%s forged serial differs", p).isNotEqualTo(genuine);
        assertThat(forged.subtract(genuine).abs()).as("%s |forged - genuine| < 2^32", p).isLessThan(TWO_TO_THE_32);
        assertThat(forged.signum()).as("%s serial positive", p).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void validityIsShiftedSixHoursEarlierAtBothEnds(Pair p) {
        assertThat(p.f().getNotBefore().toInstant()).as("%s notBefore = genuine - 6 h", p)
                .isEqualTo(p.g().getNotBefore().toInstant().minus(Duration.ofHours(6)));
        assertThat(p.f().getNotAfter().toInstant()).as("%s notAfter = genuine - 6 h", p)
                .isEqualTo(p.g().getNotAfter().toInstant().minus(Duration.ofHours(6)));
    }

    // ---- regenerated -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void subjectKeyIdentifierIsSha1OfTheNewKey(Pair p) throws Exception {
        byte[] expected = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils()
                .createSubjectKeyIdentifier(p.forgedKey().getPublic()).getKeyIdentifier();
        assertThat(PkiTestSupport.subjectKeyId(p.f())).as("%s SKI = SHA-1 of new key's subjectPublicKey", p)
                .hasSize(20).isEqualTo(expected);
        assertThat(PkiTestSupport.subjectKeyId(p.f())).as("%s SKI differs from genuine SKI", p)
                .isNotEqualTo(PkiTestSupport.subjectKeyId(p.g()));
        assertThat(PkiTestSupport.isCritical(p.f(), Extension.subjectKeyIdentifier)).as("%s SKI critical", p).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void authorityKeyIdentifierIsIntermediateKeyIdPlusRootNamePlusIntermediateSerial(Pair p) throws Exception {
        X509Certificate inter = national.intermediate().certificate();
        AuthorityKeyIdentifier aki = PkiTestSupport.authorityKeyId(p.f());
        assertThat(PkiTestSupport.authorityKeyIdTags(p.f())).as("%s AKI fields keyid, DirName, serial", p)
                .containsExactly(0, 1, 2);
        assertThat(aki.getKeyIdentifier()).as("%s AKI keyid = intermediate SKI", p)
                .isEqualTo(PkiTestSupport.subjectKeyId(inter));
        assertThat(PkiTestSupport.authorityKeyIdDirName(p.f())).as("%s AKI DirName = root name", p)
                .isEqualTo(PkiTestSupport.subjectDer(national.root().certificate()))
                .isEqualTo(PkiTestSupport.issuerDer(inter));
        assertThat(aki.getAuthorityCertSerialNumber()).as("%s AKI serial = intermediate serial", p)
                .isEqualTo(inter.getSerialNumber());
        assertThat(PkiTestSupport.isCritical(p.f(), Extension.authorityKeyIdentifier)).as("%s AKI critical", p).isFalse();
    }

    // ---- removed and re-ordered ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void crlDistributionPointsPoliciesAiaAndSctsAreDropped(Pair p) {
        assertThat(PkiTestSupport.extensionOrder(p.g())).as("%s genuine has CRLDP, CP, AIA to drop", p)
                .contains("CRLDP", "CP", "AIA");
        for (var oid : List.of(Extension.cRLDistributionPoints, Extension.certificatePolicies,
                Extension.authorityInfoAccess, new org.bouncycastle.asn1.ASN1ObjectIdentifier(PkiTestSupport.SCT_LIST_OID))) {
            assertThat(p.f().getExtensionValue(oid.getId())).as("%s forged leaf has no %s", p, oid).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void extensionsAreReorderedToSkiAkiBcKuEkuSan(Pair p) {
        assertThat(PkiTestSupport.extensionOrder(p.g())).as("%s genuine order (public-CA style of 2019)", p)
                .containsExactly("AKI", "SKI", "SAN", "KU", "EKU", "CRLDP", "CP", "AIA", "BC");
        assertThat(PkiTestSupport.extensionOrderWithCriticality(p.f())).as("%s forged extension order and criticality", p)
                .containsExactly("SKI", "AKI", "BC", "KU", "EKU", "SAN");
    }

    // ---- trust -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void forgedChainValidatesOnlyForClientsThatInstalledTheNationalRoot(Pair p) throws Exception {
        assertThat(p.forged().chain()).as("%s chain sent: forged leaf, then the national intermediate", p)
                .containsExactly(p.f(), national.intermediate().certificate());
        assertThat(PkiTestSupport.validationFailure(p.forged().chain(), List.of(national.root().certificate()), FIXED_NOW))
                .as("%s forged chain against the national root", p).isNull();
        CertPathValidatorException rejected = PkiTestSupport.validationFailure(p.forged().chain(), webPki.trustBundle(),
                FIXED_NOW);
        assertThat(rejected).as("%s forged chain against the public trust bundle must be rejected", p).isNotNull();
        // sanity: the same validator accepts the genuine chain against the public bundle
        assertThat(PkiTestSupport.validationFailure(p.genuine().chain(), webPki.trustBundle(), FIXED_NOW))
                .as("%s genuine chain against the public trust bundle", p).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void forgedLeafRecordsWhatItCopiedAndNeverPrintsItsKey(Pair p) {
        assertThat(p.forged().name()).as("%s SNI recorded", p).isEqualTo(p.site().name());
        assertThat(p.forged().genuine()).as("%s genuine fingerprint recorded", p).isEqualTo(Fingerprint.of(p.g()));
        assertThat(p.forged().fingerprint()).as("%s forged fingerprint", p).isEqualTo(Fingerprint.of(p.f()))
                .isNotEqualTo(Fingerprint.of(p.g()));
        String privateExponent = ((RSAPrivateKey) p.forged().key()).getPrivateExponent().toString();
        assertThat(p.forged().toString()).as("%s ForgedLeaf.toString", p).doesNotContain(privateExponent)
                .doesNotContain("PRIVATE");
    }

    @Test
    void namesComeFromTheServersCertificateNotFromTheSni() {
        // 2019: SNI facebook.com sent to iqala.kz yielded a forged iqala.kz certificate.
        Pair rcku = PAIRS.get("rcku.kz");
        ForgedLeaf leaf = new LeafForger(national, ForgeryProfile.kz2019()).forge("facebook.com", rcku.g(),
                rcku.forgedKey(), RANDOM);
        assertThat(leaf.name()).as("recorded SNI").isEqualTo("facebook.com");
        assertThat(PkiTestSupport.subjectDer(leaf.certificate())).as("subject copied from the server's certificate")
                .isEqualTo(PkiTestSupport.subjectDer(rcku.g()));
        assertThat(PkiTestSupport.extensionValue(leaf.certificate(), Extension.subjectAlternativeName))
                .as("SAN copied from the server's certificate, not the SNI")
                .isEqualTo(PkiTestSupport.extensionValue(rcku.g(), Extension.subjectAlternativeName));
    }

    @Test
    void serialStepIsARandom32BitValueThatCanBeEvenLikeThe2019Sample() {
        // facts section 3: forged - genuine = 0xADB3AE52 in the published pair, an EVEN step below 2^32
        // ("fits adding a random 32-bit value"). A lab rule that can never produce an even step could
        // never have produced the real sample. 24 forgeries (signing only, same key): with a uniform
        // 32-bit step the chance that all are odd is 2^-24, that none exceeds 2^31 also 2^-24.
        Pair p = PAIRS.get("mail.ru");
        LeafForger forger = new LeafForger(national, ForgeryProfile.kz2019());
        List<BigInteger> steps = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            steps.add(forger.forge("mail.ru", p.g(), p.forgedKey(), RANDOM).certificate().getSerialNumber()
                    .subtract(p.g().getSerialNumber()));
        }
        assertThat(steps).as("serial steps forged - genuine").allMatch(s -> s.abs().compareTo(TWO_TO_THE_32) < 0)
                .anyMatch(s -> s.abs().bitLength() == 32);
        assertThat(steps).as("serial steps forged - genuine include an even one (2019 sample: 0xADB3AE52)")
                .anyMatch(s -> !s.testBit(0));
    }

    @Test
    void forgingTheSameGenuineTwiceGivesDistinctSerialsNearTheGenuineOne() {
        Pair p = PAIRS.get("mail.ru");
        LeafForger forger = new LeafForger(national, ForgeryProfile.kz2019());
        ForgedLeaf again = forger.forge("mail.ru", p.g(), p.forgedKey(), RANDOM);
        assertThat(again.certificate().getSerialNumber()).as("second forgery's serial (random 32-bit step)")
                .isNotEqualTo(p.f().getSerialNumber());
        assertThat(again.certificate().getSerialNumber().subtract(p.g().getSerialNumber()).abs())
                .as("second forgery still within 2^32 of the genuine serial").isLessThan(TWO_TO_THE_32);
    }
}
