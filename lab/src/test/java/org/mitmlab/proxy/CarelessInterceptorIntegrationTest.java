package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mitmlab.proxy.ProxyLabSupport.certificatesIn;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.testing.Curl;

/**
 * A careless interceptor ({@link ForgeryProfile#careless()}): each forged leaf signs itself and is
 * sent alone, so even a machine that installed the national root gets a certificate error on the
 * targeted names, while control names still pass through untouched.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CarelessInterceptorIntegrationTest {
    private static final String TARGETED = "vk.com";
    private static final String CONTROL = "halykbank.kz";
    /** curl's exit code for an untrusted server certificate (CURLE_PEER_FAILED_VERIFICATION). */
    private static final int CURL_PEER_FAILED_VERIFICATION = 60;

    @TempDir
    static Path tempDir;

    private static ProxyLabSupport lab;

    @BeforeAll
    static void startLab() throws Exception {
        lab = ProxyLabSupport.start(tempDir, c -> c.withProfile(ForgeryProfile.careless()));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void curlTrustingTheNationalRootRejectsTheSelfSignedLeafButLoadsAControlName() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");

        Curl.Result targeted = lab.curlViaProxy(lab.state.rootsWithNational(), List.of(TARGETED), "https://" + TARGETED + "/");
        Curl.Result control = lab.curlViaProxy(lab.state.rootsWithNational(), List.of(CONTROL), "https://" + CONTROL + "/");

        assertThat(targeted.exitCode()).as("curl to %s with roots-with-national.pem: %s", TARGETED, targeted.describe())
                .isEqualTo(CURL_PEER_FAILED_VERIFICATION);
        assertThat(targeted.stderr()).as("curl's complaint").containsIgnoringCase("self-signed");
        assertThat(control.exitCode()).as("curl to the control name %s: %s", CONTROL, control.describe()).isZero();
        assertThat(control.status()).as("status of %s", CONTROL).isEqualTo(200);
    }

    @Test
    void opensslSeesOneSelfSignedCertificateNamedOnlyByTheCommonName() throws Exception {
        assumeTrue(ProxyLabSupport.isInstalled("openssl", "version"), "openssl is not installed");

        ProxyLabSupport.Run run = lab.run(List.of("openssl", "s_client", "-proxy", "127.0.0.1:" + lab.proxyPort(),
                "-connect", TARGETED + ":443", "-servername", TARGETED, "-showcerts",
                "-CAfile", lab.state.rootsWithNational().toString(), "-no-CApath", "-no-CAstore"), Duration.ofSeconds(20));

        List<X509Certificate> shown = certificatesIn(run.stdout());
        assertThat(shown).as("certificates sent by the proxy for %s (%s)", TARGETED, run.describe()).hasSize(1);
        X509Certificate leaf = shown.get(0);
        assertThat(leaf.getSubjectX500Principal()).as("subject: the CN alone").isEqualTo(new X500Principal("CN=" + TARGETED));
        assertThat(leaf.getIssuerX500Principal()).as("issuer = subject").isEqualTo(leaf.getSubjectX500Principal());
        leaf.verify(leaf.getPublicKey()); // signed by its own key
        assertThat(leaf.getSubjectAlternativeNames()).as("no SAN").isNull();
        assertThat(leaf.getExtendedKeyUsage()).as("no EKU").isNull();
        assertThat(leaf.getPublicKey()).as("a new key, not the genuine one's")
                .isNotEqualTo(lab.genuineLeaf(TARGETED).getPublicKey());
        assertThat(run.stdout()).as("openssl's verdict").contains("self-signed certificate");
    }
}
