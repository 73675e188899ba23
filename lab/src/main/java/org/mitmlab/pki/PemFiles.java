package org.mitmlab.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Certificates to and from PEM text. Keys go through {@link KeyFiles}. */
public final class PemFiles {
    private PemFiles() {
    }

    public static String toPem(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                w.writeObject(c);
            }
        } catch (IOException e) {
            throw new PkiException("cannot encode certificates as PEM", e);
        }
        return out.toString();
    }

    public static void writeCertificates(Path file, List<X509Certificate> certificates) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toPem(certificates), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PkiException("cannot write " + file, e);
        }
    }

    public static List<X509Certificate> readCertificates(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            List<X509Certificate> certs = parse(r, file.toString());
            if (certs.isEmpty()) {
                throw new PkiException(file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException e) {
            throw new PkiException("cannot read " + file, e);
        }
    }

    public static List<X509Certificate> parseCertificates(String pem) {
        try {
            return parse(new StringReader(pem), "PEM text");
        } catch (IOException e) {
            throw new PkiException("cannot parse PEM text", e);
        }
    }

    private static List<X509Certificate> parse(Reader reader, String what) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser p = new PEMParser(reader)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(converter.getCertificate(h));
                }
            }
        } catch (CertificateException e) {
            throw new PkiException("bad certificate in " + what, e);
        }
        return out;
    }
}
