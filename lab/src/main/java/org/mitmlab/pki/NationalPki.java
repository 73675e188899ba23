package org.mitmlab.pki;

import java.io.IOException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The lab's national PKI: a root and the intermediate under it, in one of the {@link RootStyle}s:
 * by default shaped like the 2019 "Qaznet Trust Network" root and "Security Certificate"
 * intermediate, which signs the forged leaves; or like the 2020 ISCA drill root.
 *
 * <p>Deliberate differences from the originals (docs/national-root.md): fresh keys, of course;
 * a validity of days instead of 30 and 3 years, so a root a student forgets in a trust store
 * expires; the intermediate's serial equals its SKI as in 2019, but we cannot choose the SKI, so
 * the serial gains a leading zero byte in DER when the SKI's top bit is set.
 */
public record NationalPki(CertificateAuthority root, CertificateAuthority intermediate) {
    public static final String ROOT_CN = "Qaznet Trust Network";
    public static final String INTERMEDIATE_CN = "Security Certificate";
    /** The lab's name for the 2020 issuing CA, which the sources do not document (docs/national-root.md). */
    public static final String ISCA_INTERMEDIATE_CN = "Information Security Certification Authority Issuing";
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private static final String ROOT_CERT = "national-root.pem";
    private static final String ROOT_KEY = "national-root.key";
    private static final String INTERMEDIATE_CERT = "national-intermediate.pem";
    private static final String INTERMEDIATE_KEY = "national-intermediate.key";

    /** A new PKI in the 2019 style ({@link RootStyle#QAZNET_2019}). */
    public static NationalPki generate(Clock clock, SecureRandom random, Duration validity) {
        return generate(RootStyle.QAZNET_2019, clock, random, validity);
    }

    /** Generates a new root (RSA-4096) and intermediate (RSA-2048) of {@code style}. Takes a second or two. */
    public static NationalPki generate(RootStyle style, Clock clock, SecureRandom random, Duration validity) {
        Instant notBefore = clock.instant().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(validity);
        return switch (style) {
            case QAZNET_2019 -> qaznet(random, notBefore, notAfter);
            case ISCA_2020 -> isca(random, notBefore, notAfter);
        };
    }

    private static NationalPki qaznet(SecureRandom random, Instant notBefore, Instant notAfter) {
        KeyPair rootKey = KeyType.RSA_4096.generate(random);
        X500Name rootName = rootName(RootStyle.QAZNET_2019);
        JcaX509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName,
                X509Support.randomSerial(random, 20), X509Support.date(notBefore), X509Support.date(notAfter),
                rootName, rootKey.getPublic());
        // Order and criticality as in the 2019 root: BC, SKI, AKI (key id only), KU.
        SubjectKeyIdentifier rootSki = X509Support.subjectKeyId(rootKey.getPublic());
        X509Support.add(rb, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(rb, Extension.subjectKeyIdentifier, false, rootSki);
        X509Support.add(rb, Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(rootSki.getKeyIdentifier()));
        X509Support.add(rb, Extension.keyUsage, true,
                new KeyUsage(KeyUsage.nonRepudiation | KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate rootCert = X509Support.sign(rb, rootKey.getPrivate(), "SHA256withRSA", "national root");
        CertificateAuthority root = new CertificateAuthority(rootCert, rootKey.getPrivate());
        // 2019: the intermediate's serial is the same 20 bytes as its SKI.
        return new NationalPki(root, intermediate(root, X509Support.printableName("KZ", INTERMEDIATE_CN), random,
                notBefore, notAfter, ski -> new BigInteger(1, ski)));
    }

    /**
     * The December 2020 drill root, as its published certificate: names CN, O, C (PrintableString),
     * extensions BC, KU, SKI, AKI (key id + own name + own serial), and the serial is the SKI with
     * its top bit cleared (28:7D:CE... against A8:7D:CE...).
     */
    private static NationalPki isca(SecureRandom random, Instant notBefore, Instant notAfter) {
        KeyPair rootKey = KeyType.RSA_4096.generate(random);
        X500Name rootName = rootName(RootStyle.ISCA_2020);
        SubjectKeyIdentifier rootSki = X509Support.subjectKeyId(rootKey.getPublic());
        BigInteger serial = serialFromKeyId(rootSki.getKeyIdentifier());
        JcaX509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, serial,
                X509Support.date(notBefore), X509Support.date(notAfter), rootName, rootKey.getPublic());
        X509Support.add(rb, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(rb, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Support.add(rb, Extension.subjectKeyIdentifier, false, rootSki);
        X509Support.add(rb, Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(rootSki.getKeyIdentifier(),
                new GeneralNames(new GeneralName(rootName)), serial));
        X509Certificate rootCert = X509Support.sign(rb, rootKey.getPrivate(), "SHA256withRSA", "national root");
        CertificateAuthority root = new CertificateAuthority(rootCert, rootKey.getPrivate());
        return new NationalPki(root, intermediate(root, iscaName(ISCA_INTERMEDIATE_CN), random, notBefore, notAfter,
                NationalPki::serialFromKeyId));
    }

    /** An RSA-2048 CA under {@code root}: BC, KU, SKI, AKI (key id + root's issuer name + root serial), as in 2019. */
    private static CertificateAuthority intermediate(CertificateAuthority root, X500Name name, SecureRandom random,
            Instant notBefore, Instant notAfter, java.util.function.Function<byte[], BigInteger> serialFromSki) {
        KeyPair key = KeyType.RSA_2048.generate(random);
        SubjectKeyIdentifier ski = X509Support.subjectKeyId(key.getPublic());
        JcaX509v3CertificateBuilder ib = new JcaX509v3CertificateBuilder(X509Support.nameOf(root.certificate()),
                serialFromSki.apply(ski.getKeyIdentifier()), X509Support.date(notBefore), X509Support.date(notAfter),
                name, key.getPublic());
        X509Support.add(ib, Extension.basicConstraints, true, new BasicConstraints(true));
        X509Support.add(ib, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Support.add(ib, Extension.subjectKeyIdentifier, false, ski);
        X509Support.add(ib, Extension.authorityKeyIdentifier, false, X509Support.keyIdIssuerAndSerial(root.certificate()));
        return new CertificateAuthority(X509Support.sign(ib, root, "national intermediate"), key.getPrivate());
    }

    /** The 20 SKI bytes with the top bit cleared (never a leading zero byte), so the DER serial stays 20 bytes. */
    private static BigInteger serialFromKeyId(byte[] ski) {
        byte[] b = ski.clone();
        b[0] &= 0x7f;
        if (b[0] == 0) {
            b[0] = 1;
        }
        return new BigInteger(1, b);
    }

    private static X500Name rootName(RootStyle style) {
        return switch (style) {
            case QAZNET_2019 -> X509Support.printableName("KZ", ROOT_CN);
            case ISCA_2020 -> iscaName(style.rootCommonName());
        };
    }

    /** ISCA's DER order, CN first, every value a PrintableString like the published 2020 root. */
    private static X500Name iscaName(String commonName) {
        return new X500Name(new RDN[] {
            new RDN(BCStyle.CN, new DERPrintableString(commonName)),
            new RDN(BCStyle.O, new DERPrintableString("ISCA")),
            new RDN(BCStyle.C, new DERPrintableString("KZ")),
        });
    }

    /** The style whose root name this PKI's root carries, if any (a test PKI built from other CAs has none). */
    public Optional<RootStyle> style() {
        X500Name subject = X509Support.nameOf(root.certificate());
        return Arrays.stream(RootStyle.values()).filter(s -> rootName(s).equals(subject)).findFirst();
    }

    /**
     * The stored national PKI whatever its style (commands that only use the lab's root: trust, ca export,
     * the Docker box), or a new one in the 2019 style when there is none or it expires within a day.
     */
    public static Loaded loadOrGenerate(Path dir, Clock clock, SecureRandom random, Duration validity) {
        return loadOrGenerate(dir, null, clock, random, validity);
    }

    /**
     * Loads the national PKI from {@code dir}, or generates and stores a new one of {@code style} when
     * there is none, the stored root is no longer valid at least one more day, or it is of another style
     * (so one state directory can switch between a 2019 and a 2020 scenario; the old keys are overwritten).
     */
    public static Loaded loadOrGenerate(Path dir, RootStyle style, Clock clock, SecureRandom random, Duration validity) {
        return loadOrGenerateStyle(dir, style, clock, random, validity);
    }

    /** @param style null: keep whatever style is stored */
    private static Loaded loadOrGenerateStyle(Path dir, RootStyle style, Clock clock, SecureRandom random, Duration validity) {
        Path rootCert = dir.resolve(ROOT_CERT);
        if (Files.exists(rootCert) && Files.exists(dir.resolve(ROOT_KEY))
                && Files.exists(dir.resolve(INTERMEDIATE_CERT)) && Files.exists(dir.resolve(INTERMEDIATE_KEY))) {
            NationalPki pki = new NationalPki(
                    new CertificateAuthority(PemFiles.readCertificates(rootCert).get(0), KeyFiles.readPrivateKey(dir.resolve(ROOT_KEY))),
                    new CertificateAuthority(PemFiles.readCertificates(dir.resolve(INTERMEDIATE_CERT)).get(0),
                            KeyFiles.readPrivateKey(dir.resolve(INTERMEDIATE_KEY))));
            if ((style == null || pki.style().equals(Optional.of(style)))
                    && pki.root.certificate().getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(1)))) {
                return new Loaded(pki, false);
            }
        }
        NationalPki pki = generate(style == null ? RootStyle.QAZNET_2019 : style, clock, random, validity);
        try {
            // the old root goes first: a crash below must not leave it beside the new keys
            Files.deleteIfExists(rootCert);
        } catch (IOException e) {
            throw new PkiException("cannot replace the national root " + rootCert, e);
        }
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
