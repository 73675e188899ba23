package org.mitmlab.pki;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Optional;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which JCA provider computes certificate signatures. A forged leaf's signature lies on the path of a
 * name's first visit, and with the national intermediate's RSA-2048 key the JDK needs about 0.7 ms for
 * it on a 2-core lab machine, AWS-LC (through Amazon Corretto Crypto Provider, ACCP) about 0.2 ms. So
 * the forger signs natively wherever ACCP's library loads (it ships for linux-x86_64) and with the JDK
 * everywhere else. The certificates do not change: an RSA PKCS#1 v1.5 signature is the same bytes
 * whoever computes it. The same provider signs the forged leaves' TLS handshakes, with keys the key
 * stock made ready for it ({@link #readyToSign}).
 */
public final class SignatureProvider {
    private static final Logger log = LoggerFactory.getLogger(SignatureProvider.class);

    /** Null for the JDK's own providers, chosen by the JCA as usual. */
    private final Provider provider;
    private final String name;

    private SignatureProvider(Provider provider, String name) {
        this.provider = provider;
        this.name = name;
    }

    /** The JDK's providers. */
    public static SignatureProvider jdk() {
        return new SignatureProvider(null, "JDK");
    }

    /**
     * AWS-LC when ACCP's native library loaded and passed its self-tests, the JDK otherwise. The probe
     * loads a native library, so it runs once per JVM (about 0.15 s), like Netty's check for OpenSSL.
     */
    public static SignatureProvider fastest() {
        return Probe.RESULT;
    }

    /** What signs, for banners and logs: "AWS-LC (ACCP 2.5.0)" or "JDK". */
    public String name() {
        return name;
    }

    public boolean isNative() {
        return provider != null;
    }

    /** The JCA provider behind it; empty for the JDK's. */
    public Optional<Provider> provider() {
        return Optional.ofNullable(provider);
    }

    /**
     * {@code key} in the provider's own form, for a key that signs many times. AWS-LC otherwise
     * converts a JDK key on every signature and redoes its per-key set-up (measured: 0.5 ms per
     * signature instead of 0.2). The JDK's key is returned as it is when there is nothing to gain or
     * the conversion fails.
     */
    PrivateKey prepared(PrivateKey key) {
        if (provider == null) {
            return key;
        }
        try {
            return (PrivateKey) KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            log.debug("{} cannot take over a {} key; it is converted per signature: {}", name, key.getAlgorithm(), e.toString());
            return key;
        }
    }

    /**
     * {@code pair} with its private half ready to sign TLS handshakes: in the provider's own form and
     * used once. AWS-LC sets an RSA key up on its first signature (measured here: 0.55-0.7 ms for the
     * first against 0.28 ms for the next); done on the key stock's thread, the first handshake of a
     * forged leaf does not pay it. The JDK's providers get the pair back as it is.
     */
    public KeyPair readyToSign(KeyPair pair) {
        PrivateKey key = prepared(pair.getPrivate());
        if (key == pair.getPrivate()) {
            return pair;
        }
        String warmUp = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (warmUp != null) {
            try {
                Signature s = signature(warmUp, null, key);
                s.update(new byte[32]);
                s.sign();
            } catch (GeneralSecurityException | RuntimeException e) {
                log.debug("{} could not sign with a new {} key ahead of its first handshake: {}", name, key.getAlgorithm(), e.toString());
            }
        }
        return new KeyPair(pair.getPublic(), key);
    }

    /**
     * A {@link Signature} initialised to sign with {@code key}: the provider's, or the JDK's when the
     * provider refuses the algorithm or the key (slower, never a failed handshake).
     *
     * @param params the algorithm's parameters (RSASSA-PSS needs them), or null
     */
    public Signature signature(String algorithm, AlgorithmParameterSpec params, PrivateKey key) throws GeneralSecurityException {
        if (provider != null) {
            try {
                return initialised(Signature.getInstance(algorithm, provider), params, key);
            } catch (GeneralSecurityException | RuntimeException e) {
                log.debug("{} cannot sign {} with a {} key; the JDK signs instead: {}", name, algorithm, key.getAlgorithm(), e.toString());
            }
        }
        return initialised(Signature.getInstance(algorithm), params, key);
    }

    private static Signature initialised(Signature s, AlgorithmParameterSpec params, PrivateKey key) throws GeneralSecurityException {
        if (params != null) {
            s.setParameter(params);
        }
        s.initSign(key);
        return s;
    }

    /**
     * A signer for {@code key}. A key or algorithm the native provider refuses is signed by the JDK
     * instead: slower, never a failed certificate.
     */
    ContentSigner contentSigner(String algorithm, PrivateKey key) throws OperatorCreationException {
        if (provider != null) {
            try {
                return new JcaContentSignerBuilder(algorithm).setProvider(provider).build(key);
            } catch (OperatorCreationException | RuntimeException e) {
                log.debug("{} cannot sign {} with a {} key; the JDK signs instead: {}", name, algorithm, key.getAlgorithm(), e.toString());
            }
        }
        return new JcaContentSignerBuilder(algorithm).build(key);
    }

    @Override
    public String toString() {
        return "SignatureProvider[" + name + "]";
    }

    static SignatureProvider probe() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loading = accp.getLoadingError();
            if (loading != null) {
                log.debug("ACCP's native library did not load here; the JDK signs certificates: {}", loading.toString());
                return jdk();
            }
            accp.assertHealthy(); // waits for its self-tests
            return new SignatureProvider(accp, "AWS-LC (ACCP " + accp.getVersionStr() + ")");
        } catch (RuntimeException | LinkageError e) {
            log.debug("ACCP is not usable here; the JDK signs certificates: {}", e.toString());
            return jdk();
        }
    }

    private static final class Probe {
        static final SignatureProvider RESULT = probe();
    }
}
