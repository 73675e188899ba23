package org.mitmlab.proxy;

import org.mitmlab.testing.JdkClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.trust.BrowserTrust;
import org.mitmlab.trust.SpkiBlocklist;

/**
 * The browser block of 21 August 2019 with the JDK HttpClient through the proxy: the user installed
 * the national root, but the browser refuses its key (never sent by the proxy, reached as the trust
 * anchor), so targeted names fail while control names load; without the blocklist they load.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserBlocklistIntegrationTest {
    private static final String TARGETED = "vk.com";
    private static final String CONTROL = "halykbank.kz";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path tempDir;

    private static ProxyLabSupport lab;
    private static Fingerprint nationalRootKey;

    @BeforeAll
    static void startLab() throws Exception {
        lab = ProxyLabSupport.start(tempDir);
        nationalRootKey = Fingerprint.spkiOf(lab.lab.nationalRoot());
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void blockedNationalRootKeyFailsTheTargetedNameButNotTheControl() throws Exception {
        // as the lab will write it: the state directory's browser-blocklist.txt, read back
        SpkiBlocklist.of(List.of(nationalRootKey)).write(lab.state.browserBlocklist());
        HttpClient browser = browser(BrowserTrust.sslContext(lab.rootsWithNational, SpkiBlocklist.read(lab.state.browserBlocklist())));

        Throwable refused = catchThrowable(() -> get(browser, TARGETED));
        assertThat(get(browser, CONTROL)).as("control name %s through the proxy", CONTROL).isEqualTo(200);

        assertThat(refused).as("the blocked root's forged chain for %s", TARGETED).isInstanceOf(SSLHandshakeException.class);
        assertThat(causes(refused)).as("messages of the handshake failure and its causes")
                .contains("blocked key").contains(nationalRootKey.sha256Hex()).contains("even though it is installed");
    }

    @Test
    void withoutTheBlocklistTheInstalledRootIsAccepted() throws Exception {
        HttpClient browser = browser(BrowserTrust.sslContext(lab.rootsWithNational, SpkiBlocklist.empty()));

        assertThat(get(browser, TARGETED)).as("%s for a user who installed the root, no blocklist", TARGETED).isEqualTo(200);
    }

    private static HttpClient browser(SSLContext ssl) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(lab.lab.proxyAddress())).sslContext(ssl)
                .connectTimeout(TIMEOUT).build();
    }

    private static int get(HttpClient client, String host) throws Exception {
        return JdkClients.get(client, host, TIMEOUT);
    }

    private static String causes(Throwable t) {
        return JdkClients.causes(t);
    }
}
