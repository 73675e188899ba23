package org.mitmlab.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A CA certificate together with its private key: something that can sign.
 * {@link #toString()} never prints the key.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    public CertificateAuthority {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    public String signatureAlgorithm() {
        return KeyType.signatureAlgorithmFor(key);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
