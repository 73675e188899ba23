package org.mitmlab.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/** A SHA-256 digest in lower-case hex, of a whole certificate or of its SubjectPublicKeyInfo. */
public record Fingerprint(String sha256Hex) {
    /** Compiled once: the proxy makes a fingerprint per intercepted connection (String.matches compiles per call). */
    private static final java.util.regex.Pattern HEX_SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    public Fingerprint {
        if (sha256Hex == null || !HEX_SHA256.matcher(sha256Hex).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256Hex);
        }
    }

    /** SHA-256 over the DER certificate (what browsers show as the certificate fingerprint). */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            return ofBytes(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** SHA-256 over the SubjectPublicKeyInfo: what Chromium's blocklist and HPKP pins use. */
    public static Fingerprint spkiOf(X509Certificate certificate) {
        return ofBytes(certificate.getPublicKey().getEncoded());
    }

    public static Fingerprint ofBytes(byte[] data) {
        try {
            return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        } catch (NoSuchAlgorithmException e) {
            throw new PkiException("SHA-256 is not available", e);
        }
    }

    /** The pin form ({@code sha256/base64}) used by HPKP and curl's --pinnedpubkey. */
    public String base64() {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
    }

    /** Colon-separated upper-case pairs, as openssl and browsers print it. */
    public String colonHex() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sha256Hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(sha256Hex, i, i + 2);
        }
        return sb.toString().toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return sha256Hex;
    }
}
