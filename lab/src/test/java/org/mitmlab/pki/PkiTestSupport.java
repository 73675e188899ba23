package org.mitmlab.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.FileSystems;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Shared helpers for the pki tests: real 2019 certificates, extension order, PKIX validation. */
final class PkiTestSupport {
    /** A fixed instant in the past (relative to when these tests were written and run). */
    static final Instant FIXED_NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock FIXED_CLOCK = Clock.fixed(FIXED_NOW, ZoneOffset.UTC);

    static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";
    static final BigInteger TWO_TO_THE_32 = BigInteger.ONE.shiftLeft(32);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    static final String REAL_ROOT = "qaznet-trust-network-root.pem";
    static final String REAL_INTERMEDIATE = "security-certificate-intermediate.pem";
    static final String REAL_FORGED_LEAF = "rcku.kz-forged-leaf.pem";
    /** The December 2020 drill root (Chromium net/data/ssl/blocklist/61c0fc2e...pem). */
    static final String REAL_ISCA_ROOT = "isca-2020-root.pem";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(Extension.subjectKeyIdentifier.getId(), "SKI"),
            Map.entry(Extension.authorityKeyIdentifier.getId(), "AKI"),
            Map.entry(Extension.basicConstraints.getId(), "BC"),
            Map.entry(Extension.keyUsage.getId(), "KU"),
            Map.entry(Extension.extendedKeyUsage.getId(), "EKU"),
            Map.entry(Extension.subjectAlternativeName.getId(), "SAN"),
            Map.entry(Extension.cRLDistributionPoints.getId(), "CRLDP"),
            Map.entry(Extension.certificatePolicies.getId(), "CP"),
            Map.entry(Extension.authorityInfoAccess.getId(), "AIA"),
            Map.entry(SCT_LIST_OID, "SCT"));

    private PkiTestSupport() {
    }

    /** One of the real 2019 certificates copied into src/test/resources/kz2019-certs. */
    static X509Certificate realCertificate(String file) {
        String resource = "/kz2019-certs/" + file;
        try (InputStream in = PkiTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot parse " + resource, e);
        }
    }

    static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extension short names in TBS order (Bouncy Castle keeps the order of the encoding). */
    static List<String> extensionOrder(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        for (Object oid : holder(certificate).getExtensionOIDs()) {
            String id = ((ASN1ObjectIdentifier) oid).getId();
            out.add(NAMES.getOrDefault(id, id));
        }
        return out;
    }

    /** Extension short names in TBS order with their criticality, e.g. "BC critical", "SKI". */
    static List<String> extensionOrderWithCriticality(X509Certificate certificate) {
        X509CertificateHolder h = holder(certificate);
        List<String> out = new ArrayList<>();
        for (Object o : h.getExtensionOIDs()) {
            ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) o;
            String name = NAMES.getOrDefault(oid.getId(), oid.getId());
            out.add(h.getExtension(oid).isCritical() ? name + " critical" : name);
        }
        return out;
    }

    static boolean isCritical(X509Certificate certificate, ASN1ObjectIdentifier oid) {
        Set<String> critical = certificate.getCriticalExtensionOIDs();
        return critical != null && critical.contains(oid.getId());
    }

    /** The DER of an extension's value (inside the OCTET STRING), or null when absent. */
    static byte[] extensionValue(X509Certificate certificate, ASN1ObjectIdentifier oid) {
        byte[] wrapped = certificate.getExtensionValue(oid.getId());
        return wrapped == null ? null : ASN1OctetString.getInstance(wrapped).getOctets();
    }

    static byte[] subjectKeyId(X509Certificate certificate) {
        return SubjectKeyIdentifier.getInstance(extensionValue(certificate, Extension.subjectKeyIdentifier))
                .getKeyIdentifier();
    }

    static AuthorityKeyIdentifier authorityKeyId(X509Certificate certificate) {
        return AuthorityKeyIdentifier.getInstance(extensionValue(certificate, Extension.authorityKeyIdentifier));
    }

    /** Context tags present in the AKI SEQUENCE, in order: 0 keyid, 1 issuer names, 2 serial. */
    static List<Integer> authorityKeyIdTags(X509Certificate certificate) {
        ASN1Sequence seq = ASN1Sequence.getInstance(extensionValue(certificate, Extension.authorityKeyIdentifier));
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < seq.size(); i++) {
            tags.add(ASN1TaggedObject.getInstance(seq.getObjectAt(i)).getTagNo());
        }
        return tags;
    }

    /** The AKI's single DirName as DER, or null when the AKI names no issuer. */
    static byte[] authorityKeyIdDirName(X509Certificate certificate) throws IOException {
        AuthorityKeyIdentifier aki = authorityKeyId(certificate);
        if (aki.getAuthorityCertIssuer() == null) {
            return null;
        }
        GeneralName[] names = aki.getAuthorityCertIssuer().getNames();
        if (names.length != 1 || names[0].getTagNo() != GeneralName.directoryName) {
            throw new AssertionError("AKI issuer is not a single DirName: " + aki.getAuthorityCertIssuer());
        }
        return names[0].getName().toASN1Primitive().getEncoded("DER");
    }

    /** RFC 5280 method 1 (SHA-1 of the subjectPublicKey BIT STRING), computed by Bouncy Castle. */
    static byte[] sha1KeyIdOf(X509Certificate certificate) throws GeneralSecurityException {
        return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(certificate.getPublicKey()).getKeyIdentifier();
    }

    static RSAPublicKey rsaKey(X509Certificate certificate) {
        return (RSAPublicKey) certificate.getPublicKey();
    }

    /** The serial's DER INTEGER contents (minimal two's complement, as DER requires). */
    static byte[] serialDer(X509Certificate certificate) {
        return certificate.getSerialNumber().toByteArray();
    }

    static byte[] subjectDer(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getEncoded();
    }

    static byte[] issuerDer(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().getEncoded();
    }

    /** The DER of the TBS signature AlgorithmIdentifier (OID and parameters). */
    static byte[] signatureAlgorithmDer(X509Certificate certificate) throws IOException {
        return holder(certificate).getSignatureAlgorithm().getEncoded("DER");
    }

    /**
     * Validates {@code path} (leaf first, anchor excluded) with the JDK's PKIX CertPathValidator,
     * revocation off, at {@code at}. Throws when the path does not validate.
     */
    static void validate(List<X509Certificate> path, Collection<X509Certificate> anchors, Instant at)
            throws GeneralSecurityException {
        Set<TrustAnchor> trust = new HashSet<>();
        for (X509Certificate a : anchors) {
            trust.add(new TrustAnchor(a, null));
        }
        PKIXParameters params = new PKIXParameters(trust);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    }

    /** The validation failure, or null when the path validates. */
    static CertPathValidatorException validationFailure(List<X509Certificate> path,
            Collection<X509Certificate> anchors, Instant at) throws GeneralSecurityException {
        try {
            validate(path, anchors, at);
            return null;
        } catch (CertPathValidatorException e) {
            return e;
        }
    }

    static boolean posixFileSystem() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
