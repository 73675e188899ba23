package org.mitmlab.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.mitmlab.domains.LabSite;

/**
 * The simulated public Web PKI: a root (the stand-in for the roots browsers ship), an issuing CA
 * under it, and the genuine certificates of the lab's sites. Certificates look like those of a
 * real public CA: an intermediate in every chain, SANs, 90-day leaves, key usages, certificate
 * policies, and AIA and CRL URLs that the simulated Internet serves ({@link #REPOSITORY_HOST}).
 */
public record WebPki(CertificateAuthority root, CertificateAuthority issuingCa) {
    /** Host of the CA repository (certificates, CRLs) inside the lab; plain HTTP, like real CAs. */
    public static final String REPOSITORY_HOST = "pki.webtrust.lab";
    public static final String ROOT_CERT_URL = "http://" + REPOSITORY_HOST + "/root-e1.crt";
    public static final String ROOT_CRL_URL = "http://" + REPOSITORY_HOST + "/root-e1.crl";
    public static final String CA_CERT_URL = "http://" + REPOSITORY_HOST + "/tls-rsa-ca-2026.crt";
    public static final String CA_CRL_URL = "http://" + REPOSITORY_HOST + "/tls-rsa-ca-2026.crl";
    /** Host of the simulated Certificate Transparency log that holds every genuine lab certificate; plain HTTP. */
    public static final String CT_LOG_HOST = "ct.webtrust.lab";

    static final Duration LEAF_VALIDITY = Duration.ofDays(90);
    private static final ASN1ObjectIdentifier DV = new ASN1ObjectIdentifier("2.23.140.1.2.1");
    private static final ASN1ObjectIdentifier OV = new ASN1ObjectIdentifier("2.23.140.1.2.2");
    private static final ASN1ObjectIdentifier EV = new ASN1ObjectIdentifier("2.23.140.1.1");
    private static final ASN1ObjectIdentifier BUSINESS_CATEGORY = new ASN1ObjectIdentifier("2.5.4.15");
    private static final ASN1ObjectIdentifier JURISDICTION_C = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.60.2.1.3");

    public static WebPki generate(Clock clock, SecureRandom random) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.DAYS);
        KeyPair rootKey = KeyType.EC_P384.generate(random);
        X500Name rootName = labTrustName("Lab Web Trust Root E1");
        JcaX509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, X509Support.randomSerial(random, 16),
                X509Support.date(now.minus(Duration.ofDays(3 * 365))), X509Support.date(now.plus(Duration.ofDays(22 * 365))),
                rootName, rootKey.getPublic());
        X509Support.add(rb, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Support.add(rb, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(rb, Extension.subjectKeyIdentifier, false, X509Support.subjectKeyId(rootKey.getPublic()));
        X509Certificate rootCert = X509Support.sign(rb, rootKey.getPrivate(), "SHA384withECDSA", "public root");
        CertificateAuthority root = new CertificateAuthority(rootCert, rootKey.getPrivate());

        KeyPair caKey = KeyType.RSA_2048.generate(random);
        JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(rootName, X509Support.randomSerial(random, 16),
                X509Support.date(now.minus(Duration.ofDays(365))), X509Support.date(now.plus(Duration.ofDays(4 * 365))),
                labTrustName("Lab Web Trust TLS RSA CA 2026"), caKey.getPublic());
        X509Support.add(cb, Extension.basicConstraints, true, new BasicConstraints(0));
        X509Support.add(cb, Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Support.add(cb, Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509Support.add(cb, Extension.subjectKeyIdentifier, false, X509Support.subjectKeyId(caKey.getPublic()));
        X509Support.add(cb, Extension.authorityKeyIdentifier, false, X509Support.keyIdOnly(rootCert));
        X509Support.add(cb, Extension.authorityInfoAccess, false, caIssuers(ROOT_CERT_URL));
        X509Support.add(cb, Extension.cRLDistributionPoints, false, crlAt(ROOT_CRL_URL));
        X509Support.add(cb, Extension.certificatePolicies, false,
                new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier("2.5.29.32.0"))));
        X509Certificate caCert = X509Support.sign(cb, root, "public issuing CA");
        return new WebPki(root, new CertificateAuthority(caCert, caKey.getPrivate()));
    }

    /** Issues the genuine certificate of a lab site, as a public CA would. */
    public SiteCredential issue(LabSite site, Clock clock, SecureRandom random) {
        return issue(site, KeyType.valueOf(site.genuineKey()).generate(random), clock, random);
    }

    /**
     * The same with a key of the caller's; the warm-up gives all its sites one, since finding an
     * RSA key takes up to 300 ms.
     */
    public SiteCredential issue(LabSite site, KeyPair key, Clock clock, SecureRandom random) {
        Instant notBefore = clock.instant().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.DAYS);
        boolean rsa = "RSA".equals(key.getPublic().getAlgorithm());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X509Support.nameOf(issuingCa.certificate()),
                X509Support.randomSerial(random, 16), X509Support.date(notBefore),
                X509Support.date(notBefore.plus(LEAF_VALIDITY).minusSeconds(1)), subjectFor(site), key.getPublic());
        // Extension order of a typical public-CA leaf of 2019 (the genuine rcku.kz certificate):
        // AKI SKI SAN KU EKU CRLDP CP AIA BC.
        X509Support.add(b, Extension.authorityKeyIdentifier, false, X509Support.keyIdOnly(issuingCa.certificate()));
        X509Support.add(b, Extension.subjectKeyIdentifier, false, X509Support.subjectKeyId(key.getPublic()));
        X509Support.add(b, Extension.subjectAlternativeName, false, sansFor(site.name()));
        int usage = rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
        X509Support.add(b, Extension.keyUsage, true, new KeyUsage(usage));
        X509Support.add(b, Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509Support.add(b, Extension.cRLDistributionPoints, false, crlAt(CA_CRL_URL));
        ASN1ObjectIdentifier policy = switch (site.validation()) {
            case "EV" -> EV;
            case "OV" -> OV;
            default -> DV;
        };
        X509Support.add(b, Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(policy)));
        X509Support.add(b, Extension.authorityInfoAccess, false, caIssuers(CA_CERT_URL));
        X509Support.add(b, Extension.basicConstraints, false, new BasicConstraints(false));
        X509Certificate leaf = X509Support.sign(b, issuingCa, "genuine certificate for " + site.name());
        return new SiteCredential(site.name(), List.of(leaf, issuingCa.certificate()), key.getPrivate());
    }

    /** The trust bundle lab clients use by default: the stand-in for a browser's root store. */
    public List<X509Certificate> trustBundle() {
        return List.of(root.certificate());
    }

    /** A CRL of the issuing CA with no revoked entries, served at {@link #CA_CRL_URL}. */
    public byte[] issuingCaCrl(Clock clock) {
        return Crls.empty(issuingCa, clock);
    }

    /** The root's CRL, served at {@link #ROOT_CRL_URL}. */
    public byte[] rootCrl(Clock clock) {
        return Crls.empty(root, clock);
    }

    /** The names a site's certificate covers: the name and its www/apex twin. */
    public static List<String> namesFor(String name) {
        List<String> names = new ArrayList<>();
        names.add(name);
        long dots = name.chars().filter(c -> c == '.').count();
        if (name.startsWith("www.")) {
            names.add(name.substring(4));
        } else if (dots == 1) {
            names.add("www." + name);
        }
        return names;
    }

    private static GeneralNames sansFor(String name) {
        return new GeneralNames(namesFor(name).stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new));
    }

    private static X500Name subjectFor(LabSite site) {
        String country = site.name().endsWith(".kz") ? "KZ" : "US";
        List<RDN> rdns = new ArrayList<>();
        if (site.validation().equals("EV")) {
            rdns.add(new RDN(BUSINESS_CATEGORY, new DERUTF8String("Private Organization")));
            rdns.add(new RDN(JURISDICTION_C, new DERPrintableString(country)));
            rdns.add(new RDN(BCStyle.SERIALNUMBER, new DERPrintableString(registrationNumber(site.name()))));
        }
        if (!site.validation().equals("DV")) {
            rdns.add(new RDN(BCStyle.C, new DERPrintableString(country)));
            rdns.add(new RDN(BCStyle.O, new DERUTF8String(site.operator())));
        }
        rdns.add(new RDN(BCStyle.CN, new DERUTF8String(site.name())));
        return new X500Name(rdns.toArray(RDN[]::new));
    }

    /** A stable, made-up 12-digit business registration number (Kazakh BIN format). */
    private static String registrationNumber(String name) {
        return String.format(Locale.ROOT, "%012d", Math.floorMod((long) name.hashCode() * 7919L, 1_000_000_000_000L));
    }

    private static X500Name labTrustName(String cn) {
        return new X500Name(new RDN[] {
            new RDN(BCStyle.C, new DERPrintableString("US")),
            new RDN(BCStyle.O, new DERPrintableString("Lab Web Trust")),
            new RDN(BCStyle.CN, new DERPrintableString(cn)),
        });
    }

    private static AuthorityInformationAccess caIssuers(String url) {
        return new AuthorityInformationAccess(new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers,
                new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String(url))));
    }

    private static CRLDistPoint crlAt(String url) {
        GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String(url)));
        return new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(names), null, null)});
    }

    /** Loads the public PKI from {@code dir}, generating and storing it the first time. */
    public static WebPki loadOrGenerate(Path dir, Clock clock, SecureRandom random) {
        Path rootCert = dir.resolve("root.pem");
        if (Files.exists(rootCert) && Files.exists(dir.resolve("root.key"))
                && Files.exists(dir.resolve("tls-ca.pem")) && Files.exists(dir.resolve("tls-ca.key"))) {
            return new WebPki(
                    new CertificateAuthority(PemFiles.readCertificates(rootCert).get(0), KeyFiles.readPrivateKey(dir.resolve("root.key"))),
                    new CertificateAuthority(PemFiles.readCertificates(dir.resolve("tls-ca.pem")).get(0),
                            KeyFiles.readPrivateKey(dir.resolve("tls-ca.key"))));
        }
        WebPki pki = generate(clock, random);
        KeyFiles.writePrivateKey(dir.resolve("root.key"), pki.root.key());
        KeyFiles.writePrivateKey(dir.resolve("tls-ca.key"), pki.issuingCa.key());
        PemFiles.writeCertificates(dir.resolve("tls-ca.pem"), List.of(pki.issuingCa.certificate()));
        PemFiles.writeCertificates(rootCert, List.of(pki.root.certificate()));
        return pki;
    }

    /**
     * The genuine credential of a site from {@code sitesDir}, or a newly issued one when missing,
     * expiring within a day, or issued by another CA (the public PKI was regenerated).
     */
    public SiteCredential loadOrIssue(LabSite site, Path sitesDir, Clock clock, SecureRandom random) {
        Path cert = sitesDir.resolve(site.name() + ".pem");
        Path key = sitesDir.resolve(site.name() + ".key");
        if (Files.exists(cert) && Files.exists(key)) {
            List<X509Certificate> chain = PemFiles.readCertificates(cert);
            X509Certificate leaf = chain.get(0);
            boolean fresh = leaf.getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(1)));
            boolean ours = chain.size() > 1 && chain.get(1).equals(issuingCa.certificate());
            if (fresh && ours) {
                return new SiteCredential(site.name(), chain, KeyFiles.readPrivateKey(key));
            }
        }
        SiteCredential issued = issue(site, clock, random);
        KeyFiles.writePrivateKey(key, issued.key());
        PemFiles.writeCertificates(cert, issued.chain());
        return issued;
    }

}
