package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.pki.ForgedLeaf;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.KeyType;
import org.mitmlab.pki.LeafForger;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.SignatureProvider;
import org.mitmlab.pki.WebPki;
import org.mitmlab.testing.LeakDetectionExtension;

/**
 * Where AWS-LC loads, the proxy signs its forged leaves' handshakes itself, with keys the key stock
 * made ready, and gives BoringSSL no key at all. A client must not be able to tell: every signature
 * scheme verifies against the forged leaf's public key, and real TLS 1.3 and 1.2 handshakes complete.
 */
@ExtendWith(LeakDetectionExtension.class)
class ForgedLeafSignerTest {
    private static final byte[] MESSAGE = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);

    private static NationalPki national;
    private static ForgedLeaf leaf;

    @BeforeAll
    static void forgeALeaf() {
        // the signature-scheme codepoints come from BoringSSL through JNI: netty-tcnative must load first
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.handler.ssl.OpenSsl.isAvailable(), "netty-tcnative's BoringSSL did not load");
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        national = NationalPki.generate(clock, random, NationalPki.DEFAULT_VALIDITY);
        WebPki web = WebPki.generate(clock, random);
        X509Certificate genuine = web.issue(DomainCatalogue.kz2019().site("facebook.com").orElseThrow(), clock, random).leaf();
        LeafForger forger = new LeafForger(national, ForgeryProfile.kz2019());
        leaf = forger.forge("facebook.com", genuine,
                forger.signatures().readyToSign(KeyType.RSA_2048.generate(random, BigInteger.valueOf(3))), random);
    }

    @Test
    void rsaPssSignaturesVerifyWithTheParametersTls13Prescribes() throws Exception {
        // RFC 8446 4.2.3: MGF1 with the same hash, a salt as long as the hash
        assertVerifies(OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA256, "RSASSA-PSS",
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        assertVerifies(OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA384, "RSASSA-PSS",
                new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
        assertVerifies(OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA512, "RSASSA-PSS",
                new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
    }

    @Test
    void pkcs1SignaturesVerifyForTls12Clients() throws Exception {
        assertVerifies(OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA256, "SHA256withRSA", null);
        assertVerifies(OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA384, "SHA384withRSA", null);
        assertVerifies(OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA512, "SHA512withRSA", null);
    }

    @Test
    void aSchemeTheKeyCannotMakeIsRefusedByName() throws Exception {
        ForgedKeyManager keys = new ForgedKeyManager(true);
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        keys.assign(engine, leaf);
        ForgedLeafSigner signer = new ForgedLeafSigner(keys, SignatureProvider.fastest());

        assertThatThrownBy(() -> signer.sign(engine, OpenSslPrivateKeyMethod.SSL_SIGN_ED25519, MESSAGE))
                .isInstanceOf(SSLException.class).hasMessageContaining("signature scheme 0x807");
    }

    @Test
    void aHandshakeWithoutAnAssignedLeafFailsInsteadOfSigningWithAnotherLeafsKey() throws Exception {
        ForgedKeyManager keys = new ForgedKeyManager(true);
        SSLEngine stranger = SSLContext.getDefault().createSSLEngine();
        ForgedLeafSigner signer = new ForgedLeafSigner(keys, SignatureProvider.fastest());

        assertThatThrownBy(() -> signer.sign(stranger, OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA256, MESSAGE))
                .isInstanceOf(SSLException.class).hasMessageContaining("no forged leaf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aRealHandshakeIsSignedByTheSignerWhileBoringSslHoldsNoKey(String protocol) throws Exception {
        TlsContexts tls = new TlsContexts(true);
        ForgedKeyManager keys = new ForgedKeyManager(true);
        ForgedLeafSigner signer = new ForgedLeafSigner(keys, SignatureProvider.fastest());
        AtomicInteger signatures = new AtomicInteger();
        OpenSslPrivateKeyMethod counting = new OpenSslPrivateKeyMethod() {
            @Override
            public byte[] sign(SSLEngine engine, int algorithm, byte[] input) throws Exception {
                signatures.incrementAndGet();
                return signer.sign(engine, algorithm, input);
            }

            @Override
            public byte[] decrypt(SSLEngine engine, byte[] input) throws Exception {
                return signer.decrypt(engine, input);
            }
        };
        SslContext context = tls.server(keys.factory(), List.of(), true, counting);
        SSLEngine server = context.newEngine(ByteBufAllocator.DEFAULT);
        try {
            keys.assign(server, leaf);
            SSLEngine client = clientTrustingTheNationalRoot(protocol);

            handshake(client, server);

            assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(leaf.certificate());
            assertThat(signatures).as("one signature per full handshake, made by the signer").hasValue(1);
            assertThat(keys.getPrivateKey(ForgedKeyManager.aliasOf(leaf))).as("BoringSSL is given no key to convert").isNull();
        } finally {
            keys.release(server);
            server.closeOutbound();
            ReferenceCountUtil.release(server);
            ReferenceCountUtil.release(context);
        }
    }

    /** Where netty-tcnative does not load, the JDK's TLS signs with the leaf's key itself, in whatever form the key stock left it. */
    @Test
    void theJdksTlsStillSignsWithAKeyReadiedForAwsLc() throws Exception {
        ForgedKeyManager keys = new ForgedKeyManager(false);
        SslContext context = new TlsContexts(false).server(keys.factory(), List.of(), true, null);
        SSLEngine server = context.newEngine(ByteBufAllocator.DEFAULT);
        keys.assign(server, leaf);
        SSLEngine client = clientTrustingTheNationalRoot("TLSv1.3");

        handshake(client, server);

        assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(leaf.certificate());
        keys.release(server);
    }

    private static void assertVerifies(int scheme, String jcaName, PSSParameterSpec params) throws Exception {
        ForgedKeyManager keys = new ForgedKeyManager(true);
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        keys.assign(engine, leaf);
        byte[] signature = new ForgedLeafSigner(keys, SignatureProvider.fastest()).sign(engine, scheme, MESSAGE);

        Signature check = Signature.getInstance(jcaName); // the JDK's, written from the RFC, not from the signer
        if (params != null) {
            check.setParameter(params);
        }
        check.initVerify(leaf.certificate().getPublicKey());
        check.update(MESSAGE);
        assertThat(check.verify(signature)).as("scheme 0x%x verifies as %s", scheme, jcaName).isTrue();
    }

    private static SSLEngine clientTrustingTheNationalRoot(String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("national-root", national.root().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        SSLEngine client = ssl.createSSLEngine("facebook.com", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        return client;
    }

    /** Runs both engines' handshakes over in-memory buffers, bounded in steps. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100; step++) {
            boolean clientDone = finished(client);
            boolean serverDone = finished(server);
            if (clientDone && serverDone && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
            client.wrap(empty, toServer);
            runTasks(client);
            server.wrap(empty, toClient);
            runTasks(server);
            toServer.flip();
            server.unwrap(toServer, sink);
            toServer.compact();
            runTasks(server);
            toClient.flip();
            client.unwrap(toClient, sink);
            toClient.compact();
            runTasks(client);
            sink.clear();
        }
        throw new AssertionError("handshake did not finish in 100 steps: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    private static boolean finished(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
