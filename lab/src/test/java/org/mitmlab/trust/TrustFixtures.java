package org.mitmlab.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.mitmlab.pki.PemFiles;

/** Trust stores made in a temporary directory: a PKCS#12 "cacerts", PEM bundles, and harmless CAs to fill them. */
public final class TrustFixtures {
    /** SPKI SHA-256 of the real 2019 root, docs/kazakhstan-2019.md 2.1. */
    public static final String QAZNET_2019_SPKI = "b5ba8dd7f89564c2889d3d6453c84998c77824919b64ea0835aa62986591be50";

    private TrustFixtures() {
    }

    /** The real "Qaznet Trust Network" root of 2019 (test resource). */
    public static X509Certificate realQaznetRoot() {
        try (InputStream in = TrustFixtures.class.getResourceAsStream("/kz2019-certs/qaznet-trust-network-root.pem")) {
            return PemFiles.parseCertificates(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A self-signed EC CA that no list knows: the stand-in for an ordinary public root. */
    public static X509Certificate harmlessCa(String cn) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair k = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn + ", O=mitmlab tests");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, k.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 trust store like the JDK's cacerts (password "changeit"), each certificate a trusted entry. */
    public static Path cacerts(Path file, List<X509Certificate> trusted) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : trusted) {
                ks.setCertificateEntry("entry-" + i++, c);
            }
            try (var out = Files.newOutputStream(file)) {
                ks.store(out, "changeit".toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path bundle(Path file, List<X509Certificate> certificates) {
        PemFiles.writeCertificates(file, certificates);
        return file;
    }

    public static Certutil certutilOrNull() {
        return Certutil.locate(System.getenv("PATH"), null, System.getProperty("os.name", "")).orElse(null);
    }
}
