package org.mitmlab.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A generic interceptor's forgery, built here with Bouncy Castle and not with the lab's forger, so
 * the detectors are shown not to rely on anything only our 2019 profile does: a fresh self-made CA
 * ("Generic Inspection CA", not on any list), a leaf that copies only the genuine CN (no SAN, no
 * extensions at all), a random serial, a validity starting now, RSA e = 65537, and no intermediate.
 *
 * @param ca       the self-made CA certificate (what a machine that "installed the corporate root" trusts)
 * @param chain    what the box presents: the forged leaf alone
 * @param leafKey  the forged leaf's key, for a test server
 */
public record GenericForgery(X509Certificate ca, List<X509Certificate> chain, PrivateKey leafKey) {
    public static final String CA_SUBJECT = "CN=Generic Inspection CA, O=Example Networks";

    public GenericForgery {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** A forgery of {@code genuine} by a freshly made CA. */
    public static GenericForgery of(X509Certificate genuine, SecureRandom random) {
        try {
            KeyPair caKey = rsa(random);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name caName = new X500Name(CA_SUBJECT);
            JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, serial(random), Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), caName, caKey.getPublic());
            cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            cb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            cb.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKey.getPublic()));
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                    cb.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate())));

            KeyPair leafKey = rsa(random);
            RDN[] cn = X500Name.getInstance(genuine.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
            X500Name subject = new X500Name(new RDN[] {cn[cn.length - 1]});
            JcaX509v3CertificateBuilder lb = new JcaX509v3CertificateBuilder(caName, serial(random), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(30, ChronoUnit.DAYS)), subject, leafKey.getPublic());
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    lb.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate())));
            return new GenericForgery(ca, List.of(leaf), leafKey.getPrivate());
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the generic forgery", e);
        }
    }

    private static KeyPair rsa(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).setBit(120);
    }
}
