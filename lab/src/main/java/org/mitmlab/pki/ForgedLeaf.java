package org.mitmlab.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A forged certificate ready to serve: immutable, except that its two PEM texts are made on first
 * use. Only events carry PEMs, so a proxy running without events never encodes them, and a name's
 * first visit does not wait for them.
 */
public final class ForgedLeaf {
    private final String name;
    private final X509Certificate genuineCertificate;
    private final Fingerprint genuine;
    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final Fingerprint fingerprint;
    private volatile String pem;
    private volatile String genuinePem;

    private ForgedLeaf(String name, X509Certificate genuineCertificate, List<X509Certificate> chain, PrivateKey key) {
        this.name = Objects.requireNonNull(name, "name");
        this.genuineCertificate = Objects.requireNonNull(genuineCertificate, "genuine");
        this.genuine = Fingerprint.of(genuineCertificate);
        this.chain = List.copyOf(chain);
        this.key = Objects.requireNonNull(key, "key");
        this.fingerprint = Fingerprint.of(this.chain.get(0));
    }

    /** A leaf for {@code chain} (leaf first) copying {@code genuine}. */
    static ForgedLeaf of(String name, X509Certificate genuine, List<X509Certificate> chain, PrivateKey key) {
        return new ForgedLeaf(name, genuine, chain, key);
    }

    /** The SNI it was minted for. */
    public String name() {
        return name;
    }

    /** Fingerprint of the genuine certificate it copies. */
    public Fingerprint genuine() {
        return genuine;
    }

    /**
     * What the client is sent: forged leaf, then the national intermediate when that signed (signed
     * by the root or by the leaf itself: the leaf alone).
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The leaf's private key (never logged, never written to disk). */
    public PrivateKey key() {
        return key;
    }

    /** SHA-256 of the forged leaf. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The forged leaf as PEM, encoded once. */
    public String pem() {
        String p = pem;
        if (p == null) {
            p = PemFiles.toPem(List.of(certificate()));
            pem = p; // a race encodes twice, to the same text
        }
        return p;
    }

    /** The genuine leaf as PEM, encoded once. */
    public String genuinePem() {
        String p = genuinePem;
        if (p == null) {
            p = PemFiles.toPem(List.of(genuineCertificate));
            genuinePem = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "ForgedLeaf[" + name + ", genuine " + genuine + "]";
    }
}
