package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.mitmlab.domains.DomainCatalogue;

/**
 * The forger signs with AWS-LC where it loads, for speed only: what it produces must be what the
 * JDK would have produced, and a key the native provider cannot use must still be signed.
 */
class SignatureProviderTest {
    private static NationalPki national;
    private static SiteCredential genuine;

    @BeforeAll
    static void pkis() {
        SecureRandom random = new SecureRandom();
        national = NationalPki.generate(FIXED_CLOCK, random, NationalPki.DEFAULT_VALIDITY);
        WebPki web = WebPki.generate(FIXED_CLOCK, random);
        genuine = web.issue(DomainCatalogue.kz2019().site("facebook.com").orElseThrow(), FIXED_CLOCK, random);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void onLinuxX86TheForgerSignsWithAwsLc() {
        LeafForger forger = new LeafForger(national, ForgeryProfile.kz2019());
        assertThat(forger.signatures().isNative()).as("ACCP's library for linux-x86_64 loaded and passed its self-tests").isTrue();
        assertThat(forger.signatures().name()).startsWith("AWS-LC (ACCP 2.");
        assertThat(forger.signatures().provider().orElseThrow().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void aLeafSignedByTheFastestProviderIsByteForByteTheLeafTheJdkSigns() throws Exception {
        KeyPair leafKey = KeyType.RSA_2048.generate(new SecureRandom(), BigInteger.valueOf(3));
        X509Certificate byJdk = new LeafForger(national, ForgeryProfile.kz2019(), SignatureProvider.jdk())
                .forge("facebook.com", genuine.leaf(), leafKey, seeded()).certificate();
        X509Certificate byFastest = new LeafForger(national, ForgeryProfile.kz2019(), SignatureProvider.fastest())
                .forge("facebook.com", genuine.leaf(), leafKey, seeded()).certificate();

        assertThat(byFastest.getEncoded()).as("the same random serial, fields and PKCS#1 v1.5 signature").isEqualTo(byJdk.getEncoded());
        byFastest.verify(national.intermediate().certificate().getPublicKey()); // throws when the signature is wrong
    }

    /** The cache mints on two threads, both signing with the one converted intermediate key. */
    @Test
    void oneForgerSignsCorrectlyFromSeveralThreadsAtOnce() throws Exception {
        LeafForger forger = new LeafForger(national, ForgeryProfile.kz2019());
        KeyPair leafKey = KeyType.RSA_2048.generate(new SecureRandom(), BigInteger.valueOf(3));
        java.security.PublicKey intermediate = national.intermediate().certificate().getPublicKey();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<X509Certificate>> leaves = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                leaves.add(threads.submit(() -> forger.forge("facebook.com", genuine.leaf(), leafKey, new SecureRandom()).certificate()));
            }
            for (var leaf : leaves) {
                leaf.get(30, java.util.concurrent.TimeUnit.SECONDS).verify(intermediate); // throws on a bad signature
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aKeyTheNativeProviderCannotUseIsSignedByTheJdkInstead() throws Exception {
        // AWS-LC has no DSA: the JDK must take over instead of failing the certificate
        KeyPair key = dsaKey();
        byte[] data = "tbsCertificate".getBytes(StandardCharsets.US_ASCII);

        ContentSigner signer = SignatureProvider.fastest().contentSigner("SHA256withDSA", key.getPrivate());
        try (OutputStream out = signer.getOutputStream()) {
            out.write(data);
        }
        assertThat(jdkVerifies("SHA256withDSA", null, key.getPublic(), data, signer.getSignature())).isTrue();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void aKeyReadiedForAwsLcIsInItsFormAndSignsWhatTheJdkVerifies() throws Exception {
        KeyPair jdkPair = KeyType.RSA_2048.generate(new SecureRandom(), BigInteger.valueOf(3));
        KeyPair ready = SignatureProvider.fastest().readyToSign(jdkPair);

        assertThat(ready.getPublic()).isSameAs(jdkPair.getPublic());
        assertThat(ready.getPrivate().getClass().getName()).as("AWS-LC's own key, set up once").startsWith("com.amazon.corretto");
        java.security.spec.PSSParameterSpec pss = new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                java.security.spec.MGF1ParameterSpec.SHA256, 32, 1);
        Signature signer = SignatureProvider.fastest().signature("RSASSA-PSS", pss, ready.getPrivate());
        signer.update(DATA);

        assertThat(jdkVerifies("RSASSA-PSS", pss, jdkPair.getPublic(), DATA, signer.sign())).isTrue();
    }

    @Test
    void theJdkGetsItsKeyPairBackAsItIs() {
        KeyPair pair = KeyType.RSA_2048.generate(new SecureRandom(), BigInteger.valueOf(3));
        assertThat(SignatureProvider.jdk().readyToSign(pair)).isSameAs(pair);
    }

    @Test
    void anAlgorithmTheNativeProviderLacksIsSignedByTheJdk() throws Exception {
        KeyPair key = dsaKey();

        Signature signer = SignatureProvider.fastest().signature("SHA256withDSA", null, key.getPrivate());
        signer.update(DATA);
        assertThat(jdkVerifies("SHA256withDSA", null, key.getPublic(), DATA, signer.sign())).isTrue();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void theKeyStockHandsOutKeysAlreadyInTheProvidersForm() throws Exception {
        try (KeyPool pool = new KeyPool(2048, BigInteger.valueOf(3), 1, new SecureRandom(), SignatureProvider.fastest())) {
            assertThat(pool.awaitStock(1, 30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            KeyPair stocked = pool.take();
            assertThat(pool.misses()).as("taken from stock, not generated on the caller's thread").isZero();
            assertThat(stocked.getPrivate().getClass().getName()).startsWith("com.amazon.corretto");
        }
    }

    private static final byte[] DATA = "CertificateVerify".getBytes(StandardCharsets.US_ASCII);

    /** AWS-LC has no DSA: a key only the JDK can sign with. */
    private static KeyPair dsaKey() throws Exception {
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);
        return dsa.generateKeyPair();
    }

    /** The JDK's own check of {@code signature}, which never goes through the code under test. */
    private static boolean jdkVerifies(String algorithm, java.security.spec.AlgorithmParameterSpec params, java.security.PublicKey key,
            byte[] data, byte[] signature) throws Exception {
        Signature check = Signature.getInstance(algorithm);
        if (params != null) {
            check.setParameter(params);
        }
        check.initVerify(key);
        check.update(data);
        return check.verify(signature);
    }

    /** The same random numbers for both forgers, so both pick the same serial. */
    private static SecureRandom seeded() throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(2019L); // before any output: deterministic from here
        return r;
    }
}
