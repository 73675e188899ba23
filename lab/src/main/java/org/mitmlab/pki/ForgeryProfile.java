package org.mitmlab.pki;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * How an interceptor turns a genuine certificate into a forged one, as data: what it copies,
 * regenerates or drops, the key it uses, how it shifts validity and picks the serial, and who signs.
 * {@link #kz2019()} is the behaviour measured on the 2019 box (docs/kazakhstan-2019.md, section 3);
 * scenarios may define others.
 *
 * @param name           short name shown in events ("kz-2019")
 * @param keyBits        RSA modulus size of the forged leaf's new key
 * @param publicExponent RSA public exponent of that key (3 in 2019: a tell researchers flagged)
 * @param validityShift  added to both ends of the genuine validity (minus six hours in 2019)
 * @param serial         how the forged serial is derived
 * @param subject        whether the subject DN is copied byte for byte or cut down to its CN
 * @param extensions     the forged leaf's extensions in output order; anything not listed is dropped
 * @param signer         whether the national intermediate, the root itself or the leaf's own key signs
 */
public record ForgeryProfile(String name, int keyBits, BigInteger publicExponent, Duration validityShift,
        SerialRule serial, SubjectRule subject, List<ExtensionStep> extensions, Signer signer) {

    public ForgeryProfile {
        Objects.requireNonNull(name, "name");
        if (keyBits < 1024 || keyBits > 8192) {
            throw new IllegalArgumentException("keyBits must be 1024..8192, got " + keyBits);
        }
        if (publicExponent.signum() <= 0 || !publicExponent.testBit(0) || publicExponent.compareTo(BigInteger.valueOf(3)) < 0) {
            throw new IllegalArgumentException("publicExponent must be odd and >= 3, got " + publicExponent);
        }
        Objects.requireNonNull(validityShift, "validityShift");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(subject, "subject");
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(signer, "signer");
    }

    /**
     * The 2019 box after 19 July: new RSA-2048 key with e = 3, subject/SAN/EKU/BC copied, key usage
     * copied without its critical flag, SKI/AKI regenerated (AKI in the "keyid,issuer" style),
     * CRL DP, policies, AIA and SCTs dropped, both validity ends minus 6 h, a serial near the
     * genuine one, signed by the "Security Certificate" intermediate; extension order
     * SKI AKI BC KU EKU SAN.
     */
    public static ForgeryProfile kz2019() {
        return new ForgeryProfile("kz-2019", 2048, BigInteger.valueOf(3), Duration.ofHours(-6),
                SerialRule.GENUINE_PLUS_RANDOM_32, SubjectRule.COPY,
                List.of(new ExtensionStep(ExtensionKind.SUBJECT_KEY_IDENTIFIER, Treatment.REGENERATE),
                        new ExtensionStep(ExtensionKind.AUTHORITY_KEY_IDENTIFIER, Treatment.REGENERATE),
                        new ExtensionStep(ExtensionKind.BASIC_CONSTRAINTS, Treatment.COPY),
                        new ExtensionStep(ExtensionKind.KEY_USAGE, Treatment.COPY_NON_CRITICAL),
                        new ExtensionStep(ExtensionKind.EXTENDED_KEY_USAGE, Treatment.COPY),
                        new ExtensionStep(ExtensionKind.SUBJECT_ALT_NAME, Treatment.COPY)),
                Signer.INTERMEDIATE);
    }

    /**
     * A careless interceptor, unlike the 2019 box: each leaf signs itself with its own new RSA-2048
     * key (e = 65537), has a random serial, a subject cut down to the CN, no SAN, only basic
     * constraints and key usage copied, and is sent alone. No trust store accepts it, installed
     * national root or not: curl says "self-signed certificate".
     */
    public static ForgeryProfile careless() {
        return new ForgeryProfile("careless-mitm", 2048, BigInteger.valueOf(65537), Duration.ZERO,
                SerialRule.RANDOM, SubjectRule.COMMON_NAME_ONLY,
                List.of(new ExtensionStep(ExtensionKind.BASIC_CONSTRAINTS, Treatment.COPY),
                        new ExtensionStep(ExtensionKind.KEY_USAGE, Treatment.COPY)),
                Signer.SELF);
    }

    /** How the forged serial relates to the genuine one. */
    public enum SerialRule {
        /** Genuine serial plus a random value below 2^32, keeping the DER length (2019 sample). */
        GENUINE_PLUS_RANDOM_32,
        /** A fresh random 16-byte serial. */
        RANDOM
    }

    /** What happens to the subject DN. */
    public enum SubjectRule {
        COPY,
        COMMON_NAME_ONLY
    }

    /** Who signs forged leaves, and so what chain the client is sent. */
    public enum Signer {
        /** The national intermediate; the client gets leaf + intermediate. */
        INTERMEDIATE,
        /** The national root itself; the client gets the leaf alone. */
        ROOT,
        /** The leaf's own new key (issuer = subject, AKI = own SKI if regenerated); the client gets the leaf alone. */
        SELF
    }

    /** What happens to one extension. */
    public enum Treatment {
        /** Byte-identical value and criticality. */
        COPY,
        /** Same value, critical flag cleared (the 2019 box did this to key usage). */
        COPY_NON_CRITICAL,
        /** Computed anew: SKI from the new key, AKI as key id + issuer name + serial. */
        REGENERATE
    }

    /** One extension of the forged leaf, in order. */
    public record ExtensionStep(ExtensionKind kind, Treatment treatment) {
        public ExtensionStep {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(treatment, "treatment");
            if (treatment == Treatment.REGENERATE && !kind.regenerable()) {
                throw new IllegalArgumentException(kind + " cannot be regenerated, only copied");
            }
        }
    }

    /** Extensions a profile can name. */
    public enum ExtensionKind {
        SUBJECT_KEY_IDENTIFIER(Extension.subjectKeyIdentifier, true),
        AUTHORITY_KEY_IDENTIFIER(Extension.authorityKeyIdentifier, true),
        BASIC_CONSTRAINTS(Extension.basicConstraints, false),
        KEY_USAGE(Extension.keyUsage, false),
        EXTENDED_KEY_USAGE(Extension.extendedKeyUsage, false),
        SUBJECT_ALT_NAME(Extension.subjectAlternativeName, false),
        CRL_DISTRIBUTION_POINTS(Extension.cRLDistributionPoints, false),
        CERTIFICATE_POLICIES(Extension.certificatePolicies, false),
        AUTHORITY_INFO_ACCESS(Extension.authorityInfoAccess, false),
        SCT_LIST(new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"), false);

        private final ASN1ObjectIdentifier oid;
        private final boolean regenerable;

        ExtensionKind(ASN1ObjectIdentifier oid, boolean regenerable) {
            this.oid = oid;
            this.regenerable = regenerable;
        }

        public ASN1ObjectIdentifier oid() {
            return oid;
        }

        boolean regenerable() {
            return regenerable;
        }
    }
}
