package org.mitmlab.pki;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The lab's national PKI: a root shaped like the 2019 "Qaznet Trust Network" root and an
 * intermediate shaped like "Security Certificate", which signs the forged leaves.
 *
 * <p>Deliberate differences from the originals (docs/national-root.md): fresh keys, of course;
 * a validity of days instead of 30 and 3 years, so a root a student forgets in a trust store
 * expires; the intermediate's serial equals its SKI as in 2019, but we cannot choose the SKI, so
 * the serial gains a leading zero byte in DER when the SKI's top bit is set.
 */
public record NationalPki(CertificateAuthority root, CertificateAuthority intermediate) {
    public static final String ROOT_CN = "Qaznet Trust Network";
    public static final String INTERMEDIATE_CN = "Security Certificate";
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private static final String ROOT_CERT = "national-root.pem";
    private static final String ROOT_KEY = "national-root.key";
    private static final String INTERMEDIATE_CERT = "national-intermediate.pem";
    private static final String INTERMEDIATE_KEY = "national-intermediate.key";

    /** Generates a new root (RSA-4096) and intermediate (RSA-2048). Takes a second or two. */
    public static NationalPki generate(Clock clock, SecureRandom random, Duration validity) {
        Instant notBefore = clock.instant().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(validity);

        KeyPair rootKey = KeyType.RSA_4096.generate(random);
        X500Name rootName = X509Support.printableName("KZ", ROOT_CN);
        JcaX509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName,
                X509Support.randomSerial(random, 20), X509Support.date(notBefore), X509Support.date(notAfter),
                rootName, rootKey.getPublic());
        // Order and criticality as in the 2019 root: BC, SKI, AKI (key id only), KU.
        SubjectKeyIdentifier rootSki = X509Support.subjectKeyId(rootKey.getPublic());
        X509Support.add(rb, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(rb, Extension.subjectKeyIdentifier, false, rootSki);
        X509Support.add(rb, Extension.authorityKeyIdentifier, false,
                new org.bouncycastle.asn1.x509.AuthorityKeyIdentifier(rootSki.getKeyIdentifier()));
        X509Support.add(rb, Extension.keyUsage, true,
                new KeyUsage(KeyUsage.nonRepudiation | KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate rootCert = X509Support.sign(rb, rootKey.getPrivate(), "SHA256withRSA", "national root");
        CertificateAuthority root = new CertificateAuthority(rootCert, rootKey.getPrivate());

        KeyPair interKey = KeyType.RSA_2048.generate(random);
        SubjectKeyIdentifier interSki = X509Support.subjectKeyId(interKey.getPublic());
        // 2019: the intermediate's serial is the same 20 bytes as its SKI.
        BigInteger interSerial = new BigInteger(1, interSki.getKeyIdentifier());
        JcaX509v3CertificateBuilder ib = new JcaX509v3CertificateBuilder(rootName, interSerial,
                X509Support.date(notBefore), X509Support.date(notAfter),
                X509Support.printableName("KZ", INTERMEDIATE_CN), interKey.getPublic());
        // Order as in 2019: BC, KU, SKI, AKI (key id + root's issuer name + root serial).
        X509Support.add(ib, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(ib, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Support.add(ib, Extension.subjectKeyIdentifier, false, interSki);
        X509Support.add(ib, Extension.authorityKeyIdentifier, false, X509Support.keyIdIssuerAndSerial(rootCert));
        X509Certificate interCert = X509Support.sign(ib, root, "national intermediate");
        return new NationalPki(root, new CertificateAuthority(interCert, interKey.getPrivate()));
    }

    /**
     * Loads the national PKI from {@code dir}, or generates and stores a new one when there is none
     * or the stored root is no longer valid at least one more day.
     */
    public static Loaded loadOrGenerate(Path dir, Clock clock, SecureRandom random, Duration validity) {
        Path rootCert = dir.resolve(ROOT_CERT);
        if (Files.exists(rootCert) && Files.exists(dir.resolve(ROOT_KEY))
                && Files.exists(dir.resolve(INTERMEDIATE_CERT)) && Files.exists(dir.resolve(INTERMEDIATE_KEY))) {
            NationalPki pki = new NationalPki(
                    new CertificateAuthority(PemFiles.readCertificates(rootCert).get(0), KeyFiles.readPrivateKey(dir.resolve(ROOT_KEY))),
                    new CertificateAuthority(PemFiles.readCertificates(dir.resolve(INTERMEDIATE_CERT)).get(0),
                            KeyFiles.readPrivateKey(dir.resolve(INTERMEDIATE_KEY))));
            if (pki.root.certificate().getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(1)))) {
                return new Loaded(pki, false);
            }
        }
        NationalPki pki = generate(clock, random, validity);
        KeyFiles.writePrivateKey(dir.resolve(ROOT_KEY), pki.root.key());
        KeyFiles.writePrivateKey(dir.resolve(INTERMEDIATE_KEY), pki.intermediate.key());
        PemFiles.writeCertificates(dir.resolve(INTERMEDIATE_CERT), List.of(pki.intermediate.certificate()));
        // the root certificate last: its presence marks a complete PKI on disk
        PemFiles.writeCertificates(rootCert, List.of(pki.root.certificate()));
        return new Loaded(pki, true);
    }

    /** The national root certificate file students install (or refuse to). */
    public static Path rootCertificateFile(Path dir) {
        return dir.resolve(ROOT_CERT);
    }

    /** A loaded PKI and whether it was generated just now. */
    public record Loaded(NationalPki pki, boolean generated) {
    }
}
