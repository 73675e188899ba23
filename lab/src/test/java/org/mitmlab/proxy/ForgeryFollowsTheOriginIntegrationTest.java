package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.EventSink;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.mitmlab.testing.LeakDetectionExtension;

/**
 * 2019: "SNI facebook.com sent to iqala.kz yielded a forged iqala.kz certificate". The box matched the
 * SNI against its list, then forged whatever the server's real certificate said. Here the origin
 * behind a targeted name hosts only a control site, so it answers with that site's certificate, and
 * the client must get a forgery of that certificate, not a pass-through and not a refusal.
 */
@ExtendWith(LeakDetectionExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForgeryFollowsTheOriginIntegrationTest {
    private static final String ASKED = "facebook.com";
    private static final String SERVED = "halykbank.kz";

    @Test
    void aTargetedSniAnsweredWithAnotherSitesCertificateGetsThatSiteForged() throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        DomainCatalogue catalogue = DomainCatalogue.kz2019().withTargets(Set.of(ASKED));
        WebPki web = WebPki.generate(clock, random);
        SiteCredential served = web.issue(catalogue.site(SERVED).orElseThrow(), clock, random);
        NationalPki national = NationalPki.generate(clock, random, NationalPki.DEFAULT_VALIDITY);
        TlsContexts tls = new TlsContexts(true);
        try (Transport transport = Transport.create(1);
                ForgeryCache forgeries = ForgeryCache.forProfile(national, ForgeryProfile.kz2019(), 1, 16, random);
                // the origin hosts halykbank.kz only: every other SNI gets its certificate
                OriginServer origin = new OriginServer(transport, tls, catalogue, Map.of(SERVED, served), web, clock)
                        .start(InetAddress.getLoopbackAddress(), 0, 0)) {
            LabUpstreams upstreams = new LabUpstreams(catalogue, origin.httpsAddress(), origin.httpAddress(), Set.of());
            try (ProxyServer proxy = new ProxyServer(
                    new ProxyConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), web.trustBundle(), Duration.ofSeconds(5)),
                    new InterceptionPolicy(catalogue::isTargeted, upstreams::mayRoute), upstreams, forgeries, tls, transport,
                    EventSink.none(), clock).start()) {
                X509Certificate leaf = leafSeenBy(ProxyLabSupport.clientContext(List.of(national.root().certificate())),
                        proxy.address());
                assertThat(leaf.getIssuerX500Principal()).as("issuer of what the client got for SNI %s", ASKED)
                        .isEqualTo(new X500Principal("CN=Security Certificate, C=KZ"));
                assertThat(leaf.getSubjectX500Principal().getName()).as("subject: the origin's real certificate's, not the SNI")
                        .contains("CN=" + SERVED);
                List<String> sans = leaf.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
                assertThat(sans).as("SAN copied from the origin's real certificate").contains(SERVED).doesNotContain(ASKED);
            }
        }
    }

    /** A TLS handshake straight to the proxy with SNI {@value #ASKED}; the leaf it presented. */
    private static X509Certificate leafSeenBy(SSLContext trust, InetSocketAddress proxy) throws Exception {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(proxy.getAddress(), proxy.getPort())) {
            socket.setSoTimeout(10_000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(ASKED)));
            params.setEndpointIdentificationAlgorithm(null); // the name differs, on purpose
            socket.setSSLParameters(params);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
