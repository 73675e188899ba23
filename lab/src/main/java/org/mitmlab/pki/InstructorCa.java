package org.mitmlab.pki;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A CA as an instructor makes one with {@code openssl} for servers behind {@code mitmlab proxy}: an
 * RSA root and leaves straight under it, each with only the extensions a short {@code openssl x509
 * -req} extension file gives (basic constraints, key usage, server auth, one DNS name) and the key
 * identifiers OpenSSL 3 adds. Servers send the leaf alone. Unlike the lab's {@link WebPki}, no
 * intermediate, no CRL or AIA URLs, no policies: the proxy meets both shapes.
 */
public final class InstructorCa {
    private static final Duration LEAF_VALIDITY = Duration.ofDays(825);

    private final CertificateAuthority root;
    private final String organisation;

    private InstructorCa(CertificateAuthority root, String organisation) {
        this.root = root;
        this.organisation = organisation;
    }

    /** A self-signed RSA root, {@code O=organisation}, signing with {@code key}. */
    public static InstructorCa generate(String organisation, KeyPair key, Clock clock, SecureRandom random) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.DAYS);
        X500Name name = name(organisation, organisation + " Root CA");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, X509Support.randomSerial(random, 20),
                X509Support.date(now.minus(Duration.ofDays(1))), X509Support.date(now.plus(Duration.ofDays(3650))),
                name, key.getPublic());
        X509Support.add(b, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Support.add(b, Extension.subjectKeyIdentifier, false, X509Support.subjectKeyId(key.getPublic()));
        X509Certificate cert = X509Support.sign(b, key.getPrivate(), "SHA256withRSA", organisation + " root");
        return new InstructorCa(new CertificateAuthority(cert, key.getPrivate()), organisation);
    }

    public X509Certificate root() {
        return root.certificate();
    }

    /** A server certificate for {@code name} on {@code key}; its chain is the leaf alone. */
    public SiteCredential issue(String name, KeyPair key, Clock clock, SecureRandom random) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.DAYS);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X509Support.nameOf(root.certificate()),
                X509Support.randomSerial(random, 20), X509Support.date(now.minus(Duration.ofDays(1))),
                X509Support.date(now.plus(LEAF_VALIDITY)), name(organisation, name), key.getPublic());
        X509Support.add(b, Extension.basicConstraints, true, new BasicConstraints(false));
        X509Support.add(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        X509Support.add(b, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Support.add(b, Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        X509Support.add(b, Extension.subjectKeyIdentifier, false, X509Support.subjectKeyId(key.getPublic()));
        X509Support.add(b, Extension.authorityKeyIdentifier, false, X509Support.keyIdOnly(root.certificate()));
        X509Certificate leaf = X509Support.sign(b, root, "server certificate for " + name);
        return new SiteCredential(name, List.of(leaf), key.getPrivate());
    }

    /** C as PrintableString, O and CN as UTF8String: what {@code openssl req -subj} writes. */
    private static X500Name name(String organisation, String commonName) {
        return new X500Name(new RDN[] {
            new RDN(BCStyle.C, new DERPrintableString("US")),
            new RDN(BCStyle.O, new DERUTF8String(organisation)),
            new RDN(BCStyle.CN, new DERUTF8String(commonName)),
        });
    }
}
