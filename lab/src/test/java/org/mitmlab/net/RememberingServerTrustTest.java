package org.mitmlab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.pki.WebPki;

/**
 * The origin leg's verification with memory: the JDK's trust manager does the checking, and is asked
 * again whenever the answer could differ. Real certificates from a lab Web PKI, the real JDK trust
 * manager underneath (counted).
 */
class RememberingServerTrustTest {
    private static final String AUTH = "ECDHE_RSA";
    private static WebPki web;
    private static X509Certificate[] trustedChain;
    private static X509Certificate[] otherTrustedChain;
    private static X509Certificate[] untrustedChain;

    @BeforeAll
    static void certificates() {
        SecureRandom random = new SecureRandom();
        Clock now = Clock.systemUTC();
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        web = WebPki.generate(now, random);
        trustedChain = web.issue(catalogue.site("vk.com").orElseThrow(), now, random).chain().toArray(X509Certificate[]::new);
        otherTrustedChain = web.issue(catalogue.site("ok.ru").orElseThrow(), now, random).chain().toArray(X509Certificate[]::new);
        WebPki elsewhere = WebPki.generate(now, random);
        untrustedChain = elsewhere.issue(catalogue.site("vk.com").orElseThrow(), now, random).chain().toArray(X509Certificate[]::new);
    }

    @Test
    void aChainTheJdkAcceptedIsAcceptedAgainWithoutAskingIt() throws Exception {
        CountingTrust jdk = new CountingTrust();
        RememberingServerTrust trust = new RememberingServerTrust(jdk, new TestClock(Instant.now()));

        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);

        assertThat(jdk.serverChecks).as("JDK checks for three identical chains").isEqualTo(1);
        trust.checkServerTrusted(otherTrustedChain, AUTH, (SSLEngine) null);
        assertThat(jdk.serverChecks).as("another chain is checked by the JDK").isEqualTo(2);
        trust.checkServerTrusted(trustedChain, "RSA", (SSLEngine) null);
        assertThat(jdk.serverChecks).as("the same chain for another key-exchange type is checked again").isEqualTo(3);
    }

    @Test
    void aSmallMemoryForgetsTheLeastRecentlyUsedChain() throws Exception {
        CountingTrust jdk = new CountingTrust();
        RememberingServerTrust trust = new RememberingServerTrust(jdk, new TestClock(Instant.now()), 1);

        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        assertThat(jdk.serverChecks).as("the one chain remembered").isEqualTo(1);
        trust.checkServerTrusted(otherTrustedChain, AUTH, (SSLEngine) null);
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        assertThat(jdk.serverChecks).as("the other chain took its place, so the first went to the JDK again").isEqualTo(3);
        assertThat(trust.size()).isEqualTo(1);
    }

    @Test
    void tlsContextsRememberAtLeastOneChain() {
        TlsContexts tls = new TlsContexts(true);
        assertThatThrownBy(() -> tls.rememberingAtMost(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tls.rememberingAtMost(1).provider()).as("the same provider").isEqualTo(tls.provider());
    }

    @Test
    void aChainTheJdkRejectedIsRejectedEveryTime() {
        CountingTrust jdk = new CountingTrust();
        RememberingServerTrust trust = new RememberingServerTrust(jdk, new TestClock(Instant.now()));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> trust.checkServerTrusted(untrustedChain, AUTH, (SSLEngine) null))
                    .as("a chain from a CA outside the trust bundle, attempt %d", i + 1)
                    .isInstanceOf(CertificateException.class);
        }
        assertThat(jdk.serverChecks).as("each rejected attempt went to the JDK").isEqualTo(3);
        assertThat(trust.size()).as("chains remembered").isZero();
    }

    @Test
    void theJdkIsAskedAgainAfterTheMemoryLapses() throws Exception {
        CountingTrust jdk = new CountingTrust();
        TestClock clock = new TestClock(Instant.now());
        RememberingServerTrust trust = new RememberingServerTrust(jdk, clock);

        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        clock.advance(RememberingServerTrust.REMEMBER_FOR.minusSeconds(1));
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        assertThat(jdk.serverChecks).as("within %s", RememberingServerTrust.REMEMBER_FOR).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        assertThat(jdk.serverChecks).as("after %s", RememberingServerTrust.REMEMBER_FOR).isEqualTo(2);
    }

    @Test
    void aChainIsNotRememberedPastItsCertificatesExpiry() throws Exception {
        CountingTrust jdk = new CountingTrust();
        Instant leafExpires = trustedChain[0].getNotAfter().toInstant();
        // the proxy's clock says the leaf has two minutes left: the memory must not outlive it
        TestClock clock = new TestClock(leafExpires.minus(Duration.ofMinutes(2)));
        RememberingServerTrust trust = new RememberingServerTrust(jdk, clock);

        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        clock.advance(Duration.ofMinutes(3));
        trust.checkServerTrusted(trustedChain, AUTH, (SSLEngine) null);
        assertThat(jdk.serverChecks).as("JDK checks once the leaf's notAfter has passed on the proxy's clock").isEqualTo(2);
    }

    /** The real JDK trust manager over the lab's trust bundle, counting the server checks it makes. */
    private static final class CountingTrust extends ForwardingTrustManager {
        int serverChecks;

        CountingTrust() {
            super(TlsContexts.jdkTrustManager(web.trustBundle()));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            serverChecks++;
            super.checkServerTrusted(chain, authType, engine);
        }
    }

    private static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
