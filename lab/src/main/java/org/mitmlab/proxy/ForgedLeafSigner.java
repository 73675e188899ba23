package org.mitmlab.proxy;

import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.mitmlab.pki.ForgedLeaf;
import org.mitmlab.pki.SignatureProvider;

/**
 * Signs the client-facing handshakes of forged leaves with the key stock's provider (AWS-LC), in
 * place of BoringSSL. Handed a leaf's key, BoringSSL gets it through a PEM round trip whenever the
 * leaf is not the last one it used, and sets the RSA key up again on its first signature (0.3 ms
 * or more, on the path of every first visit); the key stock has already done both off that path
 * ({@link SignatureProvider#readyToSign}). The signature is the same either way: the message
 * BoringSSL passes, signed with the scheme the client and BoringSSL agreed on.
 */
final class ForgedLeafSigner implements OpenSslPrivateKeyMethod {
    static {
        // the SSL_SIGN_* codepoints are read from BoringSSL through JNI when first touched: netty-tcnative's
        // library must be loaded by then, and nothing else guarantees it before a context is built
        io.netty.handler.ssl.OpenSsl.ensureAvailability();
    }

    private static final PSSParameterSpec PSS_SHA256 = pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
    private static final PSSParameterSpec PSS_SHA384 = pss("SHA-384", MGF1ParameterSpec.SHA384, 48);
    private static final PSSParameterSpec PSS_SHA512 = pss("SHA-512", MGF1ParameterSpec.SHA512, 64);

    private final ForgedKeyManager leaves;
    private final SignatureProvider signatures;

    ForgedLeafSigner(ForgedKeyManager leaves, SignatureProvider signatures) {
        this.leaves = leaves;
        this.signatures = signatures;
    }

    @Override
    public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws Exception {
        ForgedLeaf leaf = leaves.assigned(engine);
        if (leaf == null) {
            throw new SSLException("no forged leaf is assigned to this handshake");
        }
        Scheme scheme = scheme(signatureAlgorithm);
        Signature signature = signatures.signature(scheme.jcaName(), scheme.parameters(), leaf.key());
        signature.update(input);
        return signature.sign();
    }

    /** Only for RSA key exchange, which the forged contexts' cipher suites (all ECDHE) never choose. */
    @Override
    public byte[] decrypt(SSLEngine engine, byte[] input) throws SSLException {
        throw new SSLException("RSA key exchange is not offered by the proxy's forged-certificate contexts");
    }

    /** The JCA algorithm of a TLS signature scheme, with its parameters (null when it has none). */
    record Scheme(String jcaName, AlgorithmParameterSpec parameters) {
    }

    /**
     * The schemes a forged leaf's key can make. The codepoints are not compile-time constants (netty-tcnative
     * reads them from BoringSSL), so a map rather than a switch.
     */
    private static final Map<Integer, Scheme> SCHEMES = Map.ofEntries(
            Map.entry(SSL_SIGN_RSA_PSS_RSAE_SHA256, new Scheme("RSASSA-PSS", PSS_SHA256)),
            Map.entry(SSL_SIGN_RSA_PSS_RSAE_SHA384, new Scheme("RSASSA-PSS", PSS_SHA384)),
            Map.entry(SSL_SIGN_RSA_PSS_RSAE_SHA512, new Scheme("RSASSA-PSS", PSS_SHA512)),
            Map.entry(SSL_SIGN_RSA_PKCS1_SHA256, new Scheme("SHA256withRSA", null)),
            Map.entry(SSL_SIGN_RSA_PKCS1_SHA384, new Scheme("SHA384withRSA", null)),
            Map.entry(SSL_SIGN_RSA_PKCS1_SHA512, new Scheme("SHA512withRSA", null)),
            Map.entry(SSL_SIGN_RSA_PKCS1_SHA1, new Scheme("SHA1withRSA", null)),
            Map.entry(SSL_SIGN_ECDSA_SECP256R1_SHA256, new Scheme("SHA256withECDSA", null)),
            Map.entry(SSL_SIGN_ECDSA_SECP384R1_SHA384, new Scheme("SHA384withECDSA", null)),
            Map.entry(SSL_SIGN_ECDSA_SECP521R1_SHA512, new Scheme("SHA512withECDSA", null)),
            Map.entry(SSL_SIGN_ECDSA_SHA1, new Scheme("SHA1withECDSA", null)));

    /** The scheme for a TLS signature codepoint; throws for one a forged leaf's key cannot make. */
    static Scheme scheme(int signatureAlgorithm) throws SSLException {
        Scheme scheme = SCHEMES.get(signatureAlgorithm);
        if (scheme == null) {
            throw new SSLException("the proxy cannot sign TLS signature scheme 0x" + Integer.toHexString(signatureAlgorithm)
                    + " for a forged leaf");
        }
        return scheme;
    }

    private static PSSParameterSpec pss(String hash, MGF1ParameterSpec mgf, int saltLength) {
        return new PSSParameterSpec(hash, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
    }
}
