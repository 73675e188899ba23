package org.mitmlab.dashboard;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.PkiException;

/**
 * The genuine and the forged certificate of one intercepted flow, field by field, as a student
 * compares them: the identity the forgery copies (subject, SAN) next to what it cannot copy (issuer,
 * key, signature, fingerprint) and what the 2019 box changed on purpose (validity, serial,
 * extensions and their criticality).
 *
 * @param fields    every field in display order; {@code genuine} or {@code forged} is null where the
 *                  certificate has no such field (an extension the forgery dropped)
 * @param differing how many fields differ
 */
public record CertificateComparison(String flowId, String sni, String profile, boolean cached, List<Field> fields,
        int differing) {

    /**
     * One row of the comparison.
     *
     * @param key     stable name for code and tests ("issuer", "ext.2.5.29.15")
     * @param group   identity, validity, key, extensions, signature
     * @param note    why this row matters, for the rows that differ in a telling way (else null)
     */
    public record Field(String key, String group, String label, String genuine, String forged, boolean differs,
            String note) {
    }

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private static final Map<String, String> EXTENSION_NAMES = Map.ofEntries(
            Map.entry(Extension.subjectKeyIdentifier.getId(), "Subject key identifier"),
            Map.entry(Extension.authorityKeyIdentifier.getId(), "Authority key identifier"),
            Map.entry(Extension.basicConstraints.getId(), "Basic constraints"),
            Map.entry(Extension.keyUsage.getId(), "Key usage"),
            Map.entry(Extension.extendedKeyUsage.getId(), "Extended key usage"),
            Map.entry(Extension.subjectAlternativeName.getId(), "Subject alternative name"),
            Map.entry(Extension.cRLDistributionPoints.getId(), "CRL distribution points"),
            Map.entry(Extension.certificatePolicies.getId(), "Certificate policies"),
            Map.entry(Extension.authorityInfoAccess.getId(), "Authority information access"),
            Map.entry("1.3.6.1.4.1.11129.2.4.2", "Signed certificate timestamps"));

    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry(Extension.subjectKeyIdentifier.getId(), "SKI"),
            Map.entry(Extension.authorityKeyIdentifier.getId(), "AKI"),
            Map.entry(Extension.basicConstraints.getId(), "BC"),
            Map.entry(Extension.keyUsage.getId(), "KU"),
            Map.entry(Extension.extendedKeyUsage.getId(), "EKU"),
            Map.entry(Extension.subjectAlternativeName.getId(), "SAN"),
            Map.entry(Extension.cRLDistributionPoints.getId(), "CRL-DP"),
            Map.entry(Extension.certificatePolicies.getId(), "CP"),
            Map.entry(Extension.authorityInfoAccess.getId(), "AIA"),
            Map.entry("1.3.6.1.4.1.11129.2.4.2", "SCT"));

    private static final Map<String, String> PURPOSES = Map.of(
            KeyPurposeId.id_kp_serverAuth.getId(), "serverAuth",
            KeyPurposeId.id_kp_clientAuth.getId(), "clientAuth",
            KeyPurposeId.id_kp_codeSigning.getId(), "codeSigning",
            KeyPurposeId.id_kp_emailProtection.getId(), "emailProtection",
            KeyPurposeId.id_kp_timeStamping.getId(), "timeStamping",
            KeyPurposeId.id_kp_OCSPSigning.getId(), "OCSPSigning");

    private static final Map<String, String> NOTES = Map.of(
            "issuer", "The forged leaf is signed by the national intermediate, not by the site's CA: "
                    + "the one field a careful user can check in the browser.",
            "publicKey", "The box cannot copy the site's key (it has no private key), so it makes its own.",
            "rsaExponent", "The 2019 box used e = 3, a tell researchers flagged; public CAs use 65537.",
            "spkiSha256", "A pinned key (HPKP, an app's pin) catches the forgery here.",
            "sha256", "Any fingerprint check (certificate pinning, a vantage point abroad) catches the forgery.",
            "notBefore", "The 2019 box moved both ends of the validity six hours back.",
            "extensionOrder", "The forgery writes its extensions in its own order, and drops CRL, AIA, policies and SCTs.");

    /** Parses the two PEM certificates of a {@link CertificateForged} event and compares them. */
    public static CertificateComparison of(CertificateForged event) {
        X509Certificate genuine = single(event.genuinePem(), "genuine");
        X509Certificate forged = single(event.forgedPem(), "forged");
        return compare(event.flowId(), event.sni(), event.profile(), event.cached(), genuine, forged);
    }

    public static CertificateComparison compare(String flowId, String sni, String profile, boolean cached,
            X509Certificate genuine, X509Certificate forged) {
        Parsed g = new Parsed(genuine);
        Parsed f = new Parsed(forged);
        List<Field> fields = new ArrayList<>();
        row(fields, "subject", "identity", "Subject", g, f, p -> p.holder.getSubject().toString());
        row(fields, "subjectAltNames", "identity", "Subject alternative names", g, f, p -> p.sans());
        row(fields, "issuer", "identity", "Issuer", g, f, p -> p.holder.getIssuer().toString());
        row(fields, "serial", "identity", "Serial number", g, f, p -> serial(p.cert.getSerialNumber()));
        row(fields, "notBefore", "validity", "Not before", g, f, p -> p.cert.getNotBefore().toInstant().toString());
        row(fields, "notAfter", "validity", "Not after", g, f, p -> p.cert.getNotAfter().toInstant().toString());
        row(fields, "lifetime", "validity", "Lifetime", g, f, p -> lifetime(p.cert));
        row(fields, "publicKey", "key", "Public key", g, f, p -> keyDescription(p.cert.getPublicKey(), p.holder.getSubjectPublicKeyInfo()));
        row(fields, "rsaExponent", "key", "RSA public exponent", g, f, p -> p.cert.getPublicKey() instanceof RSAPublicKey rsa
                ? rsa.getPublicExponent().toString() : null);
        row(fields, "spkiSha256", "key", "Key (SPKI) SHA-256", g, f, p -> Fingerprint.spkiOf(p.cert).colonHex());
        row(fields, "subjectKeyId", "key", "Subject key identifier", g, f, p -> p.decoded(Extension.subjectKeyIdentifier));
        row(fields, "authorityKeyId", "key", "Authority key identifier", g, f, p -> p.decoded(Extension.authorityKeyIdentifier));
        row(fields, "extensionOrder", "extensions", "Extensions, in order", g, f, Parsed::extensionOrder);
        Set<ASN1ObjectIdentifier> oids = new LinkedHashSet<>(g.oids());
        oids.addAll(f.oids());
        for (ASN1ObjectIdentifier oid : oids) {
            String name = EXTENSION_NAMES.getOrDefault(oid.getId(), "Extension");
            row(fields, "ext." + oid.getId(), "extensions", name + " (" + oid.getId() + ")", g, f, p -> p.extension(oid));
        }
        row(fields, "signatureAlgorithm", "signature", "Signature algorithm", g, f, p -> p.cert.getSigAlgName());
        row(fields, "version", "signature", "Version", g, f, p -> "v" + p.cert.getVersion());
        row(fields, "sha256", "signature", "SHA-256 fingerprint", g, f, p -> Fingerprint.of(p.cert).colonHex());
        int differing = (int) fields.stream().filter(Field::differs).count();
        return new CertificateComparison(flowId, sni, profile, cached, List.copyOf(fields), differing);
    }

    /** The field with this key, for tests and callers that need one row. */
    public Field field(String key) {
        return fields.stream().filter(x -> x.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no field " + key));
    }

    private static void row(List<Field> out, String key, String group, String label, Parsed g, Parsed f,
            Function<Parsed, String> read) {
        String gv = read.apply(g);
        String fv = read.apply(f);
        if (gv == null && fv == null) {
            return;
        }
        boolean differs = !Objects.equals(gv, fv);
        out.add(new Field(key, group, label, gv, fv, differs, differs ? NOTES.get(key) : null));
    }

    private static X509Certificate single(String pem, String which) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("the event has no " + which + " certificate");
        }
        List<X509Certificate> certs = PemFiles.parseCertificates(pem);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("the " + which + " PEM holds no certificate");
        }
        return certs.get(0);
    }

    private static String serial(BigInteger serial) {
        byte[] b = serial.toByteArray();
        return COLON_HEX.formatHex(b) + " (" + serial.bitLength() + " bits)";
    }

    private static String lifetime(X509Certificate c) {
        Duration d = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        long hours = d.toHoursPart();
        return d.toDays() + " days" + (hours == 0 ? "" : " " + hours + " h");
    }

    private static String keyDescription(PublicKey key, SubjectPublicKeyInfo spki) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength() + " bits";
        }
        if (key instanceof ECPublicKey ec) {
            ASN1Encodable params = spki.getAlgorithm().getParameters();
            String curve = params instanceof ASN1ObjectIdentifier oid ? ECNamedCurveTable.getName(oid) : null;
            return "EC " + ec.getParams().getCurve().getField().getFieldSize() + " bits" + (curve == null ? "" : " (" + curve + ")");
        }
        return key.getAlgorithm() + " (" + key.getFormat() + ")";
    }

    /** One certificate with its Bouncy Castle view, read once. */
    private static final class Parsed {
        final X509Certificate cert;
        final X509CertificateHolder holder;
        final Extensions extensions;

        Parsed(X509Certificate cert) {
            this.cert = cert;
            try {
                this.holder = new X509CertificateHolder(cert.getEncoded());
            } catch (CertificateEncodingException | java.io.IOException e) {
                throw new PkiException("cannot read certificate " + cert.getSubjectX500Principal(), e);
            }
            this.extensions = holder.getExtensions();
        }

        List<ASN1ObjectIdentifier> oids() {
            return extensions == null ? List.of() : List.of(extensions.getExtensionOIDs());
        }

        String extensionOrder() {
            List<String> names = new ArrayList<>();
            for (ASN1ObjectIdentifier oid : oids()) {
                names.add(SHORT_NAMES.getOrDefault(oid.getId(), oid.getId()));
            }
            return names.isEmpty() ? "(none)" : String.join(", ", names);
        }

        String sans() {
            Extension e = extensions == null ? null : extensions.getExtension(Extension.subjectAlternativeName);
            return e == null ? null : generalNames(GeneralNames.getInstance(e.getParsedValue()));
        }

        /** The decoded value of an extension, without its criticality (null when absent). */
        String decoded(ASN1ObjectIdentifier oid) {
            Extension e = extensions == null ? null : extensions.getExtension(oid);
            return e == null ? null : decode(e);
        }

        /** "critical: ..." or "not critical: ...", null when absent. */
        String extension(ASN1ObjectIdentifier oid) {
            Extension e = extensions == null ? null : extensions.getExtension(oid);
            if (e == null) {
                return null;
            }
            return (e.isCritical() ? "critical: " : "not critical: ") + decode(e);
        }
    }

    static String decode(Extension e) {
        ASN1ObjectIdentifier oid = e.getExtnId();
        try {
            if (oid.equals(Extension.subjectKeyIdentifier)) {
                return COLON_HEX.formatHex(SubjectKeyIdentifier.getInstance(e.getParsedValue()).getKeyIdentifier());
            }
            if (oid.equals(Extension.authorityKeyIdentifier)) {
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(e.getParsedValue());
                List<String> parts = new ArrayList<>();
                if (aki.getKeyIdentifierOctets() != null) {
                    parts.add("keyid " + COLON_HEX.formatHex(aki.getKeyIdentifierOctets()));
                }
                if (aki.getAuthorityCertIssuer() != null) {
                    parts.add("issuer " + generalNames(aki.getAuthorityCertIssuer()));
                }
                if (aki.getAuthorityCertSerialNumber() != null) {
                    parts.add("serial " + COLON_HEX.formatHex(aki.getAuthorityCertSerialNumber().toByteArray()));
                }
                return String.join("; ", parts);
            }
            if (oid.equals(Extension.basicConstraints)) {
                BasicConstraints bc = BasicConstraints.getInstance(e.getParsedValue());
                return bc.isCA() ? "CA: yes" + (bc.getPathLenConstraint() == null ? "" : ", path length " + bc.getPathLenConstraint())
                        : "CA: no";
            }
            if (oid.equals(Extension.keyUsage)) {
                return keyUsage(KeyUsage.getInstance(e.getParsedValue()));
            }
            if (oid.equals(Extension.extendedKeyUsage)) {
                List<String> out = new ArrayList<>();
                for (KeyPurposeId p : ExtendedKeyUsage.getInstance(e.getParsedValue()).getUsages()) {
                    out.add(PURPOSES.getOrDefault(p.getId(), p.getId()));
                }
                return String.join(", ", out);
            }
            if (oid.equals(Extension.subjectAlternativeName)) {
                return generalNames(GeneralNames.getInstance(e.getParsedValue()));
            }
            if (oid.equals(Extension.cRLDistributionPoints)) {
                List<String> out = new ArrayList<>();
                for (DistributionPoint dp : CRLDistPoint.getInstance(e.getParsedValue()).getDistributionPoints()) {
                    DistributionPointName name = dp.getDistributionPoint();
                    if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                        out.add(generalNames(GeneralNames.getInstance(name.getName())));
                    }
                }
                return String.join(", ", out);
            }
            if (oid.equals(Extension.certificatePolicies)) {
                List<String> out = new ArrayList<>();
                for (PolicyInformation p : CertificatePolicies.getInstance(e.getParsedValue()).getPolicyInformation()) {
                    out.add(p.getPolicyIdentifier().getId());
                }
                return String.join(", ", out);
            }
            if (oid.equals(Extension.authorityInfoAccess)) {
                List<String> out = new ArrayList<>();
                for (AccessDescription a : AuthorityInformationAccess.getInstance(e.getParsedValue()).getAccessDescriptions()) {
                    String method = a.getAccessMethod().equals(AccessDescription.id_ad_ocsp) ? "OCSP"
                            : a.getAccessMethod().equals(AccessDescription.id_ad_caIssuers) ? "CA issuers" : a.getAccessMethod().getId();
                    out.add(method + " " + generalName(a.getAccessLocation()));
                }
                return String.join(", ", out);
            }
        } catch (IllegalArgumentException malformed) {
            return "unreadable: " + rawHex(e.getExtnValue());
        }
        if (oid.getId().equals("1.3.6.1.4.1.11129.2.4.2")) {
            return e.getExtnValue().getOctets().length + " bytes of signed certificate timestamps";
        }
        return rawHex(e.getExtnValue());
    }

    private static String rawHex(ASN1OctetString value) {
        byte[] b = value.getOctets();
        String hex = COLON_HEX.formatHex(b, 0, Math.min(b.length, 48));
        return b.length > 48 ? hex + " ... (" + b.length + " bytes)" : hex;
    }

    private static String keyUsage(KeyUsage ku) {
        Map<Integer, String> bits = new LinkedHashMap<>();
        bits.put(KeyUsage.digitalSignature, "digitalSignature");
        bits.put(KeyUsage.nonRepudiation, "nonRepudiation");
        bits.put(KeyUsage.keyEncipherment, "keyEncipherment");
        bits.put(KeyUsage.dataEncipherment, "dataEncipherment");
        bits.put(KeyUsage.keyAgreement, "keyAgreement");
        bits.put(KeyUsage.keyCertSign, "keyCertSign");
        bits.put(KeyUsage.cRLSign, "cRLSign");
        bits.put(KeyUsage.encipherOnly, "encipherOnly");
        bits.put(KeyUsage.decipherOnly, "decipherOnly");
        List<String> out = new ArrayList<>();
        bits.forEach((bit, name) -> {
            if (ku.hasUsages(bit)) {
                out.add(name);
            }
        });
        return String.join(", ", out);
    }

    private static String generalNames(GeneralNames names) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : names.getNames()) {
            out.add(generalName(n));
        }
        return String.join(", ", out);
    }

    private static String generalName(GeneralName n) {
        return switch (n.getTagNo()) {
            case GeneralName.dNSName -> "DNS:" + n.getName();
            case GeneralName.iPAddress -> "IP:" + ipAddress(ASN1OctetString.getInstance(n.getName()).getOctets());
            case GeneralName.uniformResourceIdentifier -> "URI:" + n.getName();
            case GeneralName.rfc822Name -> "email:" + n.getName();
            case GeneralName.directoryName -> "DirName:" + X500Name.getInstance(n.getName());
            default -> "name(" + n.getTagNo() + "):" + n.getName();
        };
    }

    private static String ipAddress(byte[] b) {
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT);
        }
    }
}
