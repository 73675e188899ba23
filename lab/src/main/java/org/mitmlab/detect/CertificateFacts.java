package org.mitmlab.detect;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.mitmlab.pki.Fingerprint;

/** The few facts about a certificate that detectors compare, written the way students see them. */
public final class CertificateFacts {
    /** OIDs of the extensions a public CA puts in every leaf and the 2019 box dropped. */
    public static final String AIA = "1.3.6.1.5.5.7.1.1";
    public static final String CRL_DISTRIBUTION_POINTS = "2.5.29.31";
    public static final String CERTIFICATE_POLICIES = "2.5.29.32";

    private CertificateFacts() {
    }

    /** A DN in certificate order, as openssl prints it: {@code C=KZ, CN=Security Certificate}. */
    public static String name(X500Principal principal) {
        X500Name name = X500Name.getInstance(principal.getEncoded());
        List<String> parts = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String type = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
                parts.add((type == null ? atv.getType().getId() : type) + "=" + IETFUtils.valueToString(atv.getValue()));
            }
        }
        return String.join(", ", parts);
    }

    public static String subject(X509Certificate certificate) {
        return name(certificate.getSubjectX500Principal());
    }

    public static String issuer(X509Certificate certificate) {
        return name(certificate.getIssuerX500Principal());
    }

    public static Fingerprint spki(X509Certificate certificate) {
        return Fingerprint.spkiOf(certificate);
    }

    public static Fingerprint sha256(X509Certificate certificate) {
        return Fingerprint.of(certificate);
    }

    /** The RSA public exponent, when the key is RSA. */
    public static Optional<BigInteger> rsaExponent(X509Certificate certificate) {
        return certificate.getPublicKey() instanceof RSAPublicKey rsa ? Optional.of(rsa.getPublicExponent()) : Optional.empty();
    }

    /** "RSA-2048", "EC", ...: enough to tell keys apart in a table. */
    public static String keyDescription(X509Certificate certificate) {
        if (certificate.getPublicKey() instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        return certificate.getPublicKey().getAlgorithm();
    }

    public static boolean hasExtension(X509Certificate certificate, String oid) {
        return certificate.getExtensionValue(oid) != null;
    }

    public static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    /** A serial in upper-case hex, as browsers show it. */
    public static String serialHex(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }
}
