package org.mitmlab.pki;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
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
 * whoever computes it.
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
