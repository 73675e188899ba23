package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;
import static org.mitmlab.pki.PkiTestSupport.FIXED_NOW;
import static org.mitmlab.pki.PkiTestSupport.REAL_FORGED_LEAF;
import static org.mitmlab.pki.PkiTestSupport.REAL_INTERMEDIATE;
import static org.mitmlab.pki.PkiTestSupport.REAL_ROOT;
import static org.mitmlab.pki.PkiTestSupport.TWO_TO_THE_32;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;

/**
 * The lab's national root, intermediate and forged rcku.kz leaf against the REAL 2019 certificates
 * (src/test/resources/kz2019-certs, facts in docs/kazakhstan-2019.md sections 2 and 3).
 *
 * <p>Rule of this test: anything that is not listed in {@link DeliberateDifference} must be
 * identical, and every listed difference is asserted to be exactly the documented one (so a
 * difference that silently grows, or disappears, is noticed).
 */
class RealCertificateComparisonTest {

    /** Every way the lab's certificates may differ from the 2019 originals. Nothing else may. */
    enum DeliberateDifference {
        /**
         * The lab generates its own keys: modulus, SKI/AKI key-id values, serial values, signature
         * values and fingerprints differ. Sizes, exponents and algorithms do not.
         */
        FRESH_KEYS_AND_SERIALS,
        /** Root valid {@link NationalPki#DEFAULT_VALIDITY} (30 days) instead of 30 years, so a forgotten install expires. */
        ROOT_VALIDITY_30_DAYS_NOT_30_YEARS,
        /** Intermediate valid 30 days instead of 3 years (same reason). */
        INTERMEDIATE_VALIDITY_30_DAYS_NOT_3_YEARS,
        /** Both CAs start one hour before generation (2019: 2016-02-02 05:41 and 2018-02-12 06:36:56). */
        CA_NOT_BEFORE_IS_GENERATION_TIME_MINUS_ONE_HOUR,
        /**
         * The intermediate serial is its SKI read as a positive INTEGER, as in 2019; the lab cannot
         * choose its SKI, so when the SKI's top bit is set the DER serial gains a 0x00 byte (21
         * bytes, not 20). The 2019 SKI (5E4D...) had its top bit clear. Documented in NationalPki.
         */
        INTERMEDIATE_SERIAL_LEADING_ZERO_WHEN_SKI_TOP_BIT_SET,
        /**
         * The genuine rcku.kz certificate the lab forges from is issued by the lab's WebPki, not by
         * Thawte: 90-day lifetime (2019: 2019-04-25 00:00 to 2021-04-16 12:00), and a lab-made EV DN
         * without L and OU, whose CN is a UTF8String (Thawte: PrintableString). The forger copies
         * these faithfully, so the forged leaf's subject and lifetime differ accordingly.
         */
        GENUINE_RCKU_CERTIFICATE_IS_LAB_ISSUED
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static X509Certificate realRoot;
    private static X509Certificate realIntermediate;
    private static X509Certificate realLeaf;
    private static NationalPki national;
    private static X509Certificate labRoot;
    private static X509Certificate labIntermediate;
    private static SiteCredential labGenuine;
    private static X509Certificate labLeaf;

    /** From docs/kazakhstan-2019.md section 3: the genuine Thawte-issued rcku.kz certificate. */
    private static final BigInteger REAL_GENUINE_SERIAL = new BigInteger("0D04ED93DEBD7F87AD349E95858043E8", 16);
    private static final Instant REAL_GENUINE_NOT_BEFORE = Instant.parse("2019-04-25T00:00:00Z");
    private static final Instant REAL_GENUINE_NOT_AFTER = Instant.parse("2021-04-16T12:00:00Z");

    @BeforeAll
    static void mintTheLabCounterparts() {
        realRoot = PkiTestSupport.realCertificate(REAL_ROOT);
        realIntermediate = PkiTestSupport.realCertificate(REAL_INTERMEDIATE);
        realLeaf = PkiTestSupport.realCertificate(REAL_FORGED_LEAF);

        national = NationalPki.generate(FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        labRoot = national.root().certificate();
        labIntermediate = national.intermediate().certificate();
        WebPki web = WebPki.generate(FIXED_CLOCK, RANDOM);
        LabSite rcku = DomainCatalogue.kz2019().site("rcku.kz").orElseThrow();
        labGenuine = web.issue(rcku, FIXED_CLOCK, RANDOM);
        KeyPair key = KeyType.RSA_2048.generate(RANDOM, BigInteger.valueOf(3));
        labLeaf = new LeafForger(national, ForgeryProfile.kz2019()).forge("rcku.kz", labGenuine.leaf(), key, RANDOM)
                .certificate();
    }

    private static final java.util.Map<String, String> ATTRIBUTE_NAMES = java.util.Map.of(
            "2.5.4.15", "businessCategory", "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", "2.5.4.5", "serialNumber",
            "2.5.4.6", "C", "2.5.4.7", "L", "2.5.4.10", "O", "2.5.4.11", "OU", "2.5.4.3", "CN");

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    // =============================================================================================
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TestDataIsTheGenuine2019Material {
        @Test
        void realCertificatesHaveTheFingerprintsOfTheFactsFile() {
            assertThat(Fingerprint.of(realRoot).sha256Hex()).as("real root certificate SHA-256 (facts 2.1)")
                    .isEqualTo("00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2");
            assertThat(Fingerprint.spkiOf(realRoot).sha256Hex()).as("real root SPKI SHA-256 (facts 2.1)")
                    .isEqualTo("b5ba8dd7f89564c2889d3d6453c84998c77824919b64ea0835aa62986591be50");
            assertThat(Fingerprint.spkiOf(realRoot).base64()).as("real root SPKI pin (facts 2.1)")
                    .isEqualTo("tbqN1/iVZMKInT1kU8hJmMd4JJGbZOoINapimGWRvlA=");
            assertThat(Fingerprint.of(realIntermediate).sha256Hex()).as("real intermediate SHA-256 (facts 2.2)")
                    .isEqualTo("74415d1acbc4899b201ba9f3913f2ee603acd3bc03df0c66a0ec4984695f6e56");
            assertThat(Fingerprint.spkiOf(realIntermediate).sha256Hex()).as("real intermediate SPKI SHA-256 (facts 2.2)")
                    .isEqualTo("7f53a139b5316a26389fe00ec8bea6cae5fafc6f97615a238fee7bf508948b2c");
            assertThat(hex(PkiTestSupport.subjectKeyId(realRoot))).as("real root SKI (facts 2.1)")
                    .isEqualTo("F494BFDE50B6DB6B243D9EF7BE3AAE36D7FB0E05");
            assertThat(realLeaf.getSerialNumber()).as("real forged serial (facts 3)")
                    .isEqualTo(new BigInteger("0D04ED93DEBD7F87AD349E963333F23A", 16));
        }

        @Test
        void realChainValidatesWithTheSameValidatorTheLabUses() throws Exception {
            assertThat(PkiTestSupport.validationFailure(List.of(realLeaf, realIntermediate), List.of(realRoot),
                    Instant.parse("2019-07-20T12:00:00Z")))
                    .as("real forged rcku.kz chain -> real Qaznet root on 2019-07-20").isNull();
            assertThat(PkiTestSupport.validationFailure(List.of(realLeaf, realIntermediate), List.of(labRoot),
                    Instant.parse("2019-07-20T12:00:00Z")))
                    .as("the lab root (same name, other key) cannot vouch for the real 2019 chain").isNotNull();
        }
    }

    // =============================================================================================
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Root {
        @Test
        void namesAreByteIdentical() {
            assertThat(PkiTestSupport.subjectDer(labRoot)).as("root subject DER").isEqualTo(PkiTestSupport.subjectDer(realRoot));
            assertThat(PkiTestSupport.issuerDer(labRoot)).as("root issuer DER").isEqualTo(PkiTestSupport.issuerDer(realRoot));
        }

        @Test
        void extensionsHaveTheSameOrderCriticalityAndBcKuBytes() {
            assertThat(PkiTestSupport.extensionOrderWithCriticality(labRoot)).as("root extension order + criticality")
                    .isEqualTo(PkiTestSupport.extensionOrderWithCriticality(realRoot))
                    .containsExactly("BC critical", "SKI", "AKI", "KU critical");
            assertThat(hex(PkiTestSupport.extensionValue(labRoot, Extension.basicConstraints)))
                    .as("root basicConstraints value DER (CA:TRUE, no pathLen)")
                    .isEqualTo(hex(PkiTestSupport.extensionValue(realRoot, Extension.basicConstraints)));
            assertThat(hex(PkiTestSupport.extensionValue(labRoot, Extension.keyUsage)))
                    .as("root keyUsage value DER (nonRepudiation, keyCertSign, cRLSign)")
                    .isEqualTo(hex(PkiTestSupport.extensionValue(realRoot, Extension.keyUsage)));
            assertThat(BasicConstraints.getInstance(PkiTestSupport.extensionValue(labRoot, Extension.basicConstraints))
                    .getPathLenConstraint()).as("root pathLen").isNull();
        }

        @Test
        void keySignatureAlgorithmVersionAndSerialSizeAreIdentical() throws Exception {
            assertThat(PkiTestSupport.rsaKey(labRoot).getModulus().bitLength()).as("root modulus bits")
                    .isEqualTo(PkiTestSupport.rsaKey(realRoot).getModulus().bitLength()).isEqualTo(4096);
            assertThat(PkiTestSupport.rsaKey(labRoot).getPublicExponent()).as("root exponent")
                    .isEqualTo(PkiTestSupport.rsaKey(realRoot).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
            assertThat(hex(PkiTestSupport.signatureAlgorithmDer(labRoot))).as("root signature AlgorithmIdentifier DER")
                    .isEqualTo(hex(PkiTestSupport.signatureAlgorithmDer(realRoot)));
            assertThat(labRoot.getVersion()).as("root version").isEqualTo(realRoot.getVersion()).isEqualTo(3);
            assertThat(PkiTestSupport.serialDer(labRoot)).as("root serial DER length").hasSize(20)
                    .hasSameSizeAs(PkiTestSupport.serialDer(realRoot));
            labRoot.verify(labRoot.getPublicKey());
            realRoot.verify(realRoot.getPublicKey());
        }

        @Test
        void authorityKeyIdentifierIsKeyIdOnlyEqualToSkiInBoth() throws Exception {
            for (X509Certificate c : List.of(labRoot, realRoot)) {
                String who = c == labRoot ? "lab root" : "real root";
                assertThat(PkiTestSupport.authorityKeyIdTags(c)).as("%s AKI fields", who).containsExactly(0);
                assertThat(PkiTestSupport.authorityKeyId(c).getKeyIdentifier()).as("%s AKI keyid = SKI", who)
                        .isEqualTo(PkiTestSupport.subjectKeyId(c));
                assertThat(PkiTestSupport.subjectKeyId(c)).as("%s SKI is SHA-1 of subjectPublicKey (RFC 5280 method 1)", who)
                        .isEqualTo(PkiTestSupport.sha1KeyIdOf(c));
            }
            assertThat(PkiTestSupport.extensionValue(labRoot, Extension.authorityKeyIdentifier))
                    .as("root AKI DER size (keyid only)")
                    .hasSameSizeAs(PkiTestSupport.extensionValue(realRoot, Extension.authorityKeyIdentifier));
        }

        @Test
        void differsOnlyInValidityLengthAndStart() {
            // DeliberateDifference.ROOT_VALIDITY_30_DAYS_NOT_30_YEARS
            assertThat(Duration.between(realRoot.getNotBefore().toInstant(), realRoot.getNotAfter().toInstant()).toDays())
                    .as("real root lifetime: 30 years (2016-02-02 -> 2046-02-02)").isEqualTo(10958);
            assertThat(Duration.between(labRoot.getNotBefore().toInstant(), labRoot.getNotAfter().toInstant()))
                    .as("lab root lifetime: " + DeliberateDifference.ROOT_VALIDITY_30_DAYS_NOT_30_YEARS)
                    .isEqualTo(Duration.ofDays(30));
            // DeliberateDifference.CA_NOT_BEFORE_IS_GENERATION_TIME_MINUS_ONE_HOUR
            assertThat(labRoot.getNotBefore().toInstant())
                    .as("lab root start: " + DeliberateDifference.CA_NOT_BEFORE_IS_GENERATION_TIME_MINUS_ONE_HOUR)
                    .isEqualTo(FIXED_NOW.minus(Duration.ofHours(1)));
            // DeliberateDifference.FRESH_KEYS_AND_SERIALS
            assertThat(labRoot.getPublicKey()).as("lab root key: " + DeliberateDifference.FRESH_KEYS_AND_SERIALS)
                    .isNotEqualTo(realRoot.getPublicKey());
        }
    }

    // =============================================================================================
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Intermediate {
        @Test
        void namesAreByteIdentical() {
            assertThat(PkiTestSupport.subjectDer(labIntermediate)).as("intermediate subject DER")
                    .isEqualTo(PkiTestSupport.subjectDer(realIntermediate));
            assertThat(PkiTestSupport.issuerDer(labIntermediate)).as("intermediate issuer DER")
                    .isEqualTo(PkiTestSupport.issuerDer(realIntermediate));
        }

        @Test
        void extensionsHaveTheSameOrderCriticalityAndBcKuBytes() {
            assertThat(PkiTestSupport.extensionOrderWithCriticality(labIntermediate))
                    .as("intermediate extension order + criticality")
                    .isEqualTo(PkiTestSupport.extensionOrderWithCriticality(realIntermediate))
                    .containsExactly("BC critical", "KU critical", "SKI", "AKI");
            assertThat(hex(PkiTestSupport.extensionValue(labIntermediate, Extension.basicConstraints)))
                    .as("intermediate basicConstraints value DER")
                    .isEqualTo(hex(PkiTestSupport.extensionValue(realIntermediate, Extension.basicConstraints)));
            assertThat(hex(PkiTestSupport.extensionValue(labIntermediate, Extension.keyUsage)))
                    .as("intermediate keyUsage value DER (keyCertSign, cRLSign)")
                    .isEqualTo(hex(PkiTestSupport.extensionValue(realIntermediate, Extension.keyUsage)));
        }

        @Test
        void keySignatureAlgorithmAndVersionAreIdentical() throws Exception {
            assertThat(PkiTestSupport.rsaKey(labIntermediate).getModulus().bitLength()).as("intermediate modulus bits")
                    .isEqualTo(PkiTestSupport.rsaKey(realIntermediate).getModulus().bitLength()).isEqualTo(2048);
            assertThat(PkiTestSupport.rsaKey(labIntermediate).getPublicExponent()).as("intermediate exponent")
                    .isEqualTo(PkiTestSupport.rsaKey(realIntermediate).getPublicExponent())
                    .isEqualTo(BigInteger.valueOf(65537));
            assertThat(hex(PkiTestSupport.signatureAlgorithmDer(labIntermediate)))
                    .as("intermediate signature AlgorithmIdentifier DER")
                    .isEqualTo(hex(PkiTestSupport.signatureAlgorithmDer(realIntermediate)));
            assertThat(labIntermediate.getVersion()).as("intermediate version").isEqualTo(realIntermediate.getVersion());
            labIntermediate.verify(labRoot.getPublicKey());
            realIntermediate.verify(realRoot.getPublicKey());
        }

        @Test
        void authorityKeyIdentifierHasKeyIdDirNameAndSerialOfTheRootInBoth() throws Exception {
            assertThat(PkiTestSupport.authorityKeyIdTags(labIntermediate)).as("intermediate AKI fields (keyid, DirName, serial)")
                    .isEqualTo(PkiTestSupport.authorityKeyIdTags(realIntermediate)).containsExactly(0, 1, 2);
            assertThat(hex(PkiTestSupport.authorityKeyIdDirName(labIntermediate))).as("intermediate AKI DirName DER")
                    .isEqualTo(hex(PkiTestSupport.authorityKeyIdDirName(realIntermediate)))
                    .isEqualTo(hex(PkiTestSupport.subjectDer(realRoot)));
            for (X509Certificate[] pair : List.of(new X509Certificate[] {labIntermediate, labRoot},
                    new X509Certificate[] {realIntermediate, realRoot})) {
                String who = pair[0] == labIntermediate ? "lab" : "real";
                AuthorityKeyIdentifier aki = PkiTestSupport.authorityKeyId(pair[0]);
                assertThat(aki.getKeyIdentifier()).as("%s intermediate AKI keyid = root SKI", who)
                        .isEqualTo(PkiTestSupport.subjectKeyId(pair[1]));
                assertThat(aki.getAuthorityCertSerialNumber()).as("%s intermediate AKI serial = root serial", who)
                        .isEqualTo(pair[1].getSerialNumber());
                assertThat(PkiTestSupport.subjectKeyId(pair[0])).as("%s intermediate SKI is SHA-1 of its key", who)
                        .isEqualTo(PkiTestSupport.sha1KeyIdOf(pair[0]));
            }
            // Same size because the lab root serial has the real one's 20 bytes.
            assertThat(PkiTestSupport.extensionValue(labIntermediate, Extension.authorityKeyIdentifier))
                    .as("intermediate AKI DER size")
                    .hasSameSizeAs(PkiTestSupport.extensionValue(realIntermediate, Extension.authorityKeyIdentifier));
        }

        @Test
        void serialIsTheSkiAsIn2019() {
            byte[] realSki = PkiTestSupport.subjectKeyId(realIntermediate);
            assertThat(hex(PkiTestSupport.serialDer(realIntermediate))).as("real intermediate serial bytes = its SKI bytes")
                    .isEqualTo(hex(realSki)).isEqualTo("5E4D90827F86EB5AF48315F4508EAB3AE9724DA9");

            byte[] labSki = PkiTestSupport.subjectKeyId(labIntermediate);
            assertThat(labIntermediate.getSerialNumber()).as("lab intermediate serial value = its SKI as unsigned number")
                    .isEqualTo(new BigInteger(1, labSki));
            byte[] labSerial = PkiTestSupport.serialDer(labIntermediate);
            if ((labSki[0] & 0x80) != 0) {
                // DeliberateDifference.INTERMEDIATE_SERIAL_LEADING_ZERO_WHEN_SKI_TOP_BIT_SET
                byte[] padded = new byte[labSki.length + 1];
                System.arraycopy(labSki, 0, padded, 1, labSki.length);
                assertThat(hex(labSerial))
                        .as("lab serial DER: " + DeliberateDifference.INTERMEDIATE_SERIAL_LEADING_ZERO_WHEN_SKI_TOP_BIT_SET)
                        .isEqualTo(hex(padded));
            } else if (labSki[0] == 0 && (labSki[1] & 0x80) == 0) {
                // minimal DER cannot start with a redundant 0x00 byte: the serial is one byte shorter
                assertThat(hex(labSerial)).as("lab serial DER for an SKI starting with a redundant zero byte")
                        .isEqualTo(hex(new BigInteger(1, labSki).toByteArray()));
            } else {
                assertThat(hex(labSerial)).as("lab serial DER bytes = SKI bytes, exactly as in 2019").isEqualTo(hex(labSki))
                        .hasSameSizeAs(hex(realSki));
            }
        }

        @Test
        void differsOnlyInValidityLength() {
            assertThat(Duration.between(realIntermediate.getNotBefore().toInstant(),
                    realIntermediate.getNotAfter().toInstant()).toDays())
                    .as("real intermediate lifetime: 3 years (2018-02-12 -> 2021-02-12)").isEqualTo(1096);
            assertThat(Duration.between(labIntermediate.getNotBefore().toInstant(), labIntermediate.getNotAfter().toInstant()))
                    .as("lab intermediate lifetime: " + DeliberateDifference.INTERMEDIATE_VALIDITY_30_DAYS_NOT_3_YEARS)
                    .isEqualTo(Duration.ofDays(30));
            assertThat(labIntermediate.getNotBefore()).as("lab intermediate starts with the lab root: "
                    + DeliberateDifference.CA_NOT_BEFORE_IS_GENERATION_TIME_MINUS_ONE_HOUR)
                    .isEqualTo(labRoot.getNotBefore());
        }
    }

    // =============================================================================================
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ForgedRckuLeaf {
        @Test
        void extensionsHaveTheSameOrderAndCriticality() {
            assertThat(PkiTestSupport.extensionOrderWithCriticality(labLeaf)).as("forged leaf extension order + criticality")
                    .isEqualTo(PkiTestSupport.extensionOrderWithCriticality(realLeaf))
                    .containsExactly("SKI", "AKI", "BC", "KU", "EKU", "SAN");
        }

        @Test
        void copiedExtensionValuesAreByteIdenticalToThe2019Forgery() {
            for (ASN1ObjectIdentifier oid : List.of(Extension.basicConstraints, Extension.keyUsage,
                    Extension.extendedKeyUsage, Extension.subjectAlternativeName)) {
                assertThat(hex(PkiTestSupport.extensionValue(labLeaf, oid))).as("forged leaf %s value DER", oid)
                        .isEqualTo(hex(PkiTestSupport.extensionValue(realLeaf, oid)));
            }
            assertThat(hex(PkiTestSupport.extensionValue(realLeaf, Extension.subjectAlternativeName)))
                    .as("real SAN: DNS:rcku.kz, DNS:www.rcku.kz")
                    .isEqualTo("3016820772636B752E6B7A820B7777772E72636B752E6B7A");
        }

        @Test
        void issuerAndSignatureAlgorithmAreByteIdentical() throws Exception {
            assertThat(hex(PkiTestSupport.issuerDer(labLeaf))).as("forged leaf issuer DER")
                    .isEqualTo(hex(PkiTestSupport.issuerDer(realLeaf)));
            assertThat(hex(PkiTestSupport.signatureAlgorithmDer(labLeaf))).as("forged leaf signature AlgorithmIdentifier DER")
                    .isEqualTo(hex(PkiTestSupport.signatureAlgorithmDer(realLeaf)));
            assertThat(labLeaf.getVersion()).as("forged leaf version").isEqualTo(realLeaf.getVersion()).isEqualTo(3);
            labLeaf.verify(labIntermediate.getPublicKey());
            realLeaf.verify(realIntermediate.getPublicKey());
        }

        @Test
        void keyIsRsa2048WithExponentThreeInBoth() {
            assertThat(PkiTestSupport.rsaKey(labLeaf).getModulus().bitLength()).as("forged leaf modulus bits")
                    .isEqualTo(PkiTestSupport.rsaKey(realLeaf).getModulus().bitLength()).isEqualTo(2048);
            assertThat(PkiTestSupport.rsaKey(labLeaf).getPublicExponent()).as("forged leaf exponent")
                    .isEqualTo(PkiTestSupport.rsaKey(realLeaf).getPublicExponent()).isEqualTo(BigInteger.valueOf(3));
        }

        @Test
        void authorityKeyIdentifierHasTheSameStructure() throws Exception {
            assertThat(PkiTestSupport.authorityKeyIdTags(labLeaf)).as("forged leaf AKI fields (keyid, DirName, serial)")
                    .isEqualTo(PkiTestSupport.authorityKeyIdTags(realLeaf)).containsExactly(0, 1, 2);
            assertThat(hex(PkiTestSupport.authorityKeyIdDirName(labLeaf))).as("forged leaf AKI DirName DER (the root's name)")
                    .isEqualTo(hex(PkiTestSupport.authorityKeyIdDirName(realLeaf)))
                    .isEqualTo(hex(PkiTestSupport.subjectDer(realRoot)));
            for (X509Certificate[] pair : List.of(new X509Certificate[] {labLeaf, labIntermediate},
                    new X509Certificate[] {realLeaf, realIntermediate})) {
                String who = pair[0] == labLeaf ? "lab" : "real";
                AuthorityKeyIdentifier aki = PkiTestSupport.authorityKeyId(pair[0]);
                assertThat(aki.getKeyIdentifier()).as("%s forged AKI keyid = intermediate SKI", who).hasSize(20)
                        .isEqualTo(PkiTestSupport.subjectKeyId(pair[1]));
                assertThat(aki.getAuthorityCertSerialNumber()).as("%s forged AKI serial = intermediate serial", who)
                        .isEqualTo(pair[1].getSerialNumber());
                assertThat(aki.getAuthorityCertSerialNumber()).as("%s forged AKI serial = AKI keyid as a number", who)
                        .isEqualTo(new BigInteger(1, aki.getKeyIdentifier()));
            }
        }

        @Test
        void subjectKeyIdentifierIsSha1OfTheNewKeyInBoth() throws Exception {
            for (X509Certificate c : List.of(labLeaf, realLeaf)) {
                String who = c == labLeaf ? "lab" : "real";
                assertThat(PkiTestSupport.subjectKeyId(c)).as("%s forged SKI = SHA-1 of subjectPublicKey", who)
                        .isEqualTo(PkiTestSupport.sha1KeyIdOf(c));
            }
            assertThat(hex(PkiTestSupport.subjectKeyId(realLeaf))).as("real forged SKI (facts 3)")
                    .startsWith("D68C113E").endsWith("069B");
        }

        @Test
        void serialKeepsItsLengthAndMovesUpByLessThanTwoToThe32InBoth() {
            BigInteger realStep = realLeaf.getSerialNumber().subtract(REAL_GENUINE_SERIAL);
            assertThat(realStep).as("real forged - genuine serial (facts 3)").isEqualTo(BigInteger.valueOf(0xADB3AE52L));
            BigInteger labStep = labLeaf.getSerialNumber().subtract(labGenuine.leaf().getSerialNumber());
            assertThat(labStep.signum()).as("lab forged serial is above the genuine one, like the sample").isPositive();
            assertThat(labStep).as("lab step < 2^32, like the sample").isLessThan(TWO_TO_THE_32);
            assertThat(PkiTestSupport.serialDer(labLeaf)).as("forged serial DER length (16 in both)")
                    .hasSameSizeAs(PkiTestSupport.serialDer(realLeaf))
                    .hasSameSizeAs(PkiTestSupport.serialDer(labGenuine.leaf()))
                    .hasSameSizeAs(REAL_GENUINE_SERIAL.toByteArray());
        }

        @Test
        void validityIsShiftedSixHoursSoBothStartAt1800Utc() {
            assertThat(realLeaf.getNotBefore().toInstant()).as("real: genuine notBefore - 6 h")
                    .isEqualTo(REAL_GENUINE_NOT_BEFORE.minus(Duration.ofHours(6)));
            assertThat(realLeaf.getNotAfter().toInstant()).as("real: genuine notAfter - 6 h")
                    .isEqualTo(REAL_GENUINE_NOT_AFTER.minus(Duration.ofHours(6)));
            assertThat(labLeaf.getNotBefore().toInstant()).as("lab: genuine notBefore - 6 h")
                    .isEqualTo(labGenuine.leaf().getNotBefore().toInstant().minus(Duration.ofHours(6)));
            assertThat(labLeaf.getNotAfter().toInstant()).as("lab: genuine notAfter - 6 h")
                    .isEqualTo(labGenuine.leaf().getNotAfter().toInstant().minus(Duration.ofHours(6)));
            assertThat(LocalTime.ofInstant(labLeaf.getNotBefore().toInstant(), ZoneOffset.UTC))
                    .as("both genuines start at midnight UTC, so both forgeries start at 18:00 UTC the day before")
                    .isEqualTo(LocalTime.ofInstant(realLeaf.getNotBefore().toInstant(), ZoneOffset.UTC))
                    .isEqualTo(LocalTime.of(18, 0));
        }

        @Test
        void lifetimeDiffersOnlyBecauseTheGenuineIsLabIssued() {
            // DeliberateDifference.GENUINE_RCKU_CERTIFICATE_IS_LAB_ISSUED
            assertThat(Duration.between(realLeaf.getNotBefore().toInstant(), realLeaf.getNotAfter().toInstant()))
                    .as("real forged lifetime = real genuine lifetime")
                    .isEqualTo(Duration.between(REAL_GENUINE_NOT_BEFORE, REAL_GENUINE_NOT_AFTER));
            assertThat(Duration.between(labLeaf.getNotBefore().toInstant(), labLeaf.getNotAfter().toInstant()))
                    .as("lab forged lifetime: " + DeliberateDifference.GENUINE_RCKU_CERTIFICATE_IS_LAB_ISSUED)
                    .isEqualTo(WebPki.LEAF_VALIDITY.minusSeconds(1));
        }

        @Test
        void subjectDiffersOnlyWhereTheLabsGenuineEvSubjectDiffers() throws Exception {
            // DeliberateDifference.GENUINE_RCKU_CERTIFICATE_IS_LAB_ISSUED
            List<String> real = attributes(realLeaf);
            List<String> lab = attributes(labLeaf);
            assertThat(real).as("real forged subject: attribute type and ASN.1 string type, in order").containsExactly(
                    "businessCategory:UTF8", "jurisdictionC:PRINTABLE", "serialNumber:PRINTABLE", "C:PRINTABLE",
                    "L:PRINTABLE", "O:UTF8", "OU:PRINTABLE", "CN:PRINTABLE");
            List<String> realWithoutLabOmissions = new ArrayList<>(real);
            realWithoutLabOmissions.removeAll(List.of("L:PRINTABLE", "OU:PRINTABLE"));
            realWithoutLabOmissions.set(realWithoutLabOmissions.size() - 1, "CN:UTF8");
            assertThat(lab).as("lab forged subject = real one without L and OU, CN as UTF8String: "
                    + DeliberateDifference.GENUINE_RCKU_CERTIFICATE_IS_LAB_ISSUED).isEqualTo(realWithoutLabOmissions);
            X500Name labName = X500Name.getInstance(PkiTestSupport.subjectDer(labLeaf));
            X500Name realName = X500Name.getInstance(PkiTestSupport.subjectDer(realLeaf));
            for (ASN1ObjectIdentifier type : List.of(BCStyle.BUSINESS_CATEGORY, BCStyle.JURISDICTION_C, BCStyle.C, BCStyle.CN)) {
                assertThat(value(labName, type)).as("forged subject %s value", ATTRIBUTE_NAMES.get(type.getId()))
                        .isEqualTo(value(realName, type));
            }
            assertThat(value(labName, BCStyle.SERIALNUMBER)).as("EV registration number: 12 digits like 050440008395")
                    .matches("[0-9]{12}");
            assertThat(PkiTestSupport.subjectDer(labLeaf)).as("forged subject still byte-identical to the lab genuine")
                    .isEqualTo(PkiTestSupport.subjectDer(labGenuine.leaf()));
        }

        @Test
        void chainValidatesAgainstItsNationalRootOnly() throws Exception {
            List<X509Certificate> labChain = List.of(labLeaf, labIntermediate);
            assertThat(PkiTestSupport.validationFailure(labChain, List.of(labRoot), FIXED_NOW))
                    .as("lab forged chain -> lab national root").isNull();
            assertThat(PkiTestSupport.validationFailure(labChain, List.of(realRoot), FIXED_NOW))
                    .as("lab forged chain -> real 2019 root (fresh keys: "
                            + DeliberateDifference.FRESH_KEYS_AND_SERIALS + ")").isNotNull();
        }

        private static List<String> attributes(X509Certificate c) {
            List<String> out = new ArrayList<>();
            for (RDN rdn : X500Name.getInstance(PkiTestSupport.subjectDer(c)).getRDNs()) {
                assertThat(rdn.isMultiValued()).as("single-valued RDN").isFalse();
                AttributeTypeAndValue atv = rdn.getFirst();
                ASN1Encodable v = atv.getValue();
                String kind = v instanceof org.bouncycastle.asn1.ASN1UTF8String ? "UTF8"
                        : v instanceof org.bouncycastle.asn1.ASN1PrintableString ? "PRINTABLE" : v.getClass().getSimpleName();
                out.add(ATTRIBUTE_NAMES.getOrDefault(atv.getType().getId(), atv.getType().getId()) + ":" + kind);
            }
            return out;
        }

        private static String value(X500Name name, ASN1ObjectIdentifier type) {
            RDN[] rdns = name.getRDNs(type);
            assertThat(rdns).as("one %s RDN", type).hasSize(1);
            return ((org.bouncycastle.asn1.ASN1String) rdns[0].getFirst().getValue()).getString();
        }
    }

    @Test
    void deliberateDifferencesAreExactlyTheDocumentedSix() {
        assertThat(Arrays.stream(DeliberateDifference.values()).map(Enum::name))
                .as("the documented list of deliberate differences (update tests when it changes)")
                .containsExactly("FRESH_KEYS_AND_SERIALS", "ROOT_VALIDITY_30_DAYS_NOT_30_YEARS",
                        "INTERMEDIATE_VALIDITY_30_DAYS_NOT_3_YEARS", "CA_NOT_BEFORE_IS_GENERATION_TIME_MINUS_ONE_HOUR",
                        "INTERMEDIATE_SERIAL_LEADING_ZERO_WHEN_SKI_TOP_BIT_SET", "GENUINE_RCKU_CERTIFICATE_IS_LAB_ISSUED");
    }
}
