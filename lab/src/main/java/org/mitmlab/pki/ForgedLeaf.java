package org.mitmlab.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A forged certificate ready to serve.
 *
 * @param name      the SNI it was minted for
 * @param genuine   fingerprint of the genuine certificate it copies
 * @param chain     what the client is sent: forged leaf, then the national intermediate
 * @param key       the leaf's private key (never logged, never written to disk)
 */
public record ForgedLeaf(String name, Fingerprint genuine, List<X509Certificate> chain, PrivateKey key) {
    public ForgedLeaf {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(genuine, "genuine");
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(certificate());
    }

    @Override
    public String toString() {
        return "ForgedLeaf[" + name + ", genuine " + genuine + "]";
    }
}
