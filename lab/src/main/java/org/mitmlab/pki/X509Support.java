package org.mitmlab.pki;

import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The few Bouncy Castle steps every certificate of the lab shares. Package-private on purpose. */
final class X509Support {
    private X509Support() {
    }

    /** A DN of PrintableString attributes in the given order, as the 2019 CAs encoded theirs. */
    static X500Name printableName(String country, String commonName) {
        return new X500Name(new RDN[] {
            new RDN(BCStyle.C, new DERPrintableString(country)),
            new RDN(BCStyle.CN, new DERPrintableString(commonName)),
        });
    }

    static X500Name nameOf(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    static X500Name issuerOf(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded());
    }

    /** RFC 5280 method 1: SHA-1 over the subjectPublicKey bit string. */
    static SubjectKeyIdentifier subjectKeyId(PublicKey key) {
        return extensionUtils().createSubjectKeyIdentifier(key);
    }

    static AuthorityKeyIdentifier keyIdOnly(X509Certificate issuer) {
        return new AuthorityKeyIdentifier(subjectKeyId(issuer.getPublicKey()).getKeyIdentifier());
    }

    /** The "keyid,issuer" style: key id, the issuer's issuer name and the issuer's serial. */
    static AuthorityKeyIdentifier keyIdIssuerAndSerial(X509Certificate issuer) {
        return new AuthorityKeyIdentifier(subjectKeyId(issuer.getPublicKey()).getKeyIdentifier(),
                new GeneralNames(new GeneralName(issuerOf(issuer))), issuer.getSerialNumber());
    }

    /** A positive serial of exactly {@code bytes} bytes in DER (top bit clear, not zero). */
    static BigInteger randomSerial(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x01;
        return new BigInteger(1, b);
    }

    static Date date(Instant instant) {
        return Date.from(instant);
    }

    static void add(X509v3CertificateBuilder b, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            b.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new PkiException("cannot add extension " + oid, e);
        }
    }

    static void addEncoded(X509v3CertificateBuilder b, ASN1ObjectIdentifier oid, boolean critical, byte[] derValue) {
        try {
            b.addExtension(oid, critical, derValue);
        } catch (CertIOException e) {
            throw new PkiException("cannot add extension " + oid, e);
        }
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, CertificateAuthority signer, String what) {
        return sign(builder, signer.key(), signer.signatureAlgorithm(), what);
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey key, String algorithm, String what) {
        return sign(builder, key, algorithm, SignatureProvider.jdk(), what);
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey key, String algorithm,
            SignatureProvider signatures, String what) {
        try {
            ContentSigner signer = signatures.contentSigner(algorithm, key);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | CertificateException e) {
            throw new PkiException("cannot sign " + what, e);
        }
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new PkiException("SHA-1 is not available for key identifiers", e);
        }
    }
}
