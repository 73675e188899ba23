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
 * @param chain     what the client is sent: forged leaf, then the national intermediate when that signed
 *                  (signed by the root or by the leaf itself: the leaf alone)
 * @param key       the leaf's private key (never logged, never written to disk)
 * @param fingerprint SHA-256 of the forged leaf
 * @param pem        the forged leaf as PEM, and {@code genuinePem} the genuine one: computed once at
 *                   minting, because every intercepted connection reports them
 */
public record ForgedLeaf(String name, Fingerprint genuine, List<X509Certificate> chain, PrivateKey key,
        Fingerprint fingerprint, String pem, String genuinePem) {
    public ForgedLeaf {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(genuine, "genuine");
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(pem, "pem");
        Objects.requireNonNull(genuinePem, "genuinePem");
    }

    /** A leaf for {@code chain} (leaf first), with its fingerprint and PEMs computed now. */
    static ForgedLeaf of(String name, X509Certificate genuine, List<X509Certificate> chain, PrivateKey key) {
        return new ForgedLeaf(name, Fingerprint.of(genuine), chain, key, Fingerprint.of(chain.get(0)),
                PemFiles.toPem(List.of(chain.get(0))), PemFiles.toPem(List.of(genuine)));
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "ForgedLeaf[" + name + ", genuine " + genuine + "]";
    }
}
