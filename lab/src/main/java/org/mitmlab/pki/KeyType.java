package org.mitmlab.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** Key algorithms the lab issues, with the signature algorithm a CA holding such a key uses. */
public enum KeyType {
    RSA_2048("RSA", 2048, "SHA256withRSA"),
    RSA_4096("RSA", 4096, "SHA256withRSA"),
    EC_P256("EC", 256, "SHA256withECDSA"),
    EC_P384("EC", 384, "SHA384withECDSA");

    private final String algorithm;
    private final int bits;
    private final String signatureAlgorithm;

    KeyType(String algorithm, int bits, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.bits = bits;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public int bits() {
        return bits;
    }

    public boolean isRsa() {
        return algorithm.equals("RSA");
    }

    /** The algorithm a CA with this key signs with (sha256WithRSAEncryption for the 2019 CAs). */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public KeyPair generate(SecureRandom random) {
        return generate(random, RSAKeyGenParameterSpec.F4);
    }

    /** RSA keys with a chosen public exponent: the 2019 box used e = 3 for forged leaves. */
    public KeyPair generate(SecureRandom random, BigInteger rsaExponent) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (isRsa()) {
                g.initialize(new RSAKeyGenParameterSpec(bits, rsaExponent), random);
            } else {
                g.initialize(new ECGenParameterSpec(bits == 256 ? "secp256r1" : "secp384r1"), random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate a " + this + " key", e);
        }
    }

    /** The signature algorithm for a CA holding {@code key}. */
    public static String signatureAlgorithmFor(java.security.PrivateKey key) {
        if (key.getAlgorithm().equals("RSA")) {
            return "SHA256withRSA";
        }
        int bits = ((java.security.interfaces.ECKey) key).getParams().getCurve().getField().getFieldSize();
        return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
}
