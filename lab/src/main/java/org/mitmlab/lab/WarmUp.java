package org.mitmlab.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;
import org.mitmlab.event.EventSink;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.KeyType;
import org.mitmlab.pki.LeafForger;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.mitmlab.proxy.InterceptionPolicy;
import org.mitmlab.proxy.LabUpstreams;
import org.mitmlab.proxy.ProxyConfig;
import org.mitmlab.proxy.ProxyServer;

/**
 * Runs the interception path for a few seconds on a private, throw-away proxy and origin (their
 * own short-lived keys, loopback only) before the real listener opens, so the JIT has compiled the
 * hot code when the first students, or a benchmark, arrive. A cold JVM otherwise spends its first
 * seconds compiling on the same core that relays traffic.
 */
public final class WarmUp {
    private static final String SITE = "vk.com";

    private WarmUp() {
    }

    /**
     * Returns how many intercepted requests were made. Setting up (a few key searches, about a second)
     * comes first; then minting and requests run for {@code budget}.
     */
    public static int run(Transport transport, TlsContexts tls, Duration budget) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        DomainCatalogue catalogue = DomainCatalogue.kz2019().withTargets(Set.of(SITE));
        LabSite site = catalogue.site(SITE).orElseThrow();
        WebPki web = WebPki.generate(clock, random);
        SiteCredential credential = web.issue(site, clock, random);
        // stand-in national CAs: the same code path, without a 4096-bit key search
        NationalPki national = new NationalPki(web.root(), web.issuingCa());
        ForgeryProfile profile = ForgeryProfile.kz2019();
        List<X509Certificate> trusted = new ArrayList<>(web.trustBundle());
        int requests = 0;
        // minting: a name's first visit builds and signs a certificate; warm that code too (a third of the budget)
        LeafForger forger = new LeafForger(national, profile);
        java.security.KeyPair key = KeyType.RSA_2048.generate(random, profile.publicExponent());
        // the budget counts from here: on a one-core proxy the key searches above can take most of it
        long deadline = System.nanoTime() + budget.toNanos();
        long mintUntil = System.nanoTime() + budget.toNanos() / 3;
        while (System.nanoTime() < mintUntil) {
            forger.forge(SITE, credential.leaf(), key, random);
        }
        try (ForgeryCache forgeries = ForgeryCache.forProfile(national, profile, 1, 16, random);
                OriginServer origin = new OriginServer(transport, tls, catalogue, Map.of(SITE, credential), web, clock)
                        .start(InetAddress.getLoopbackAddress(), 0, 0)) {
            LabUpstreams upstreams = new LabUpstreams(catalogue, origin.httpsAddress(), origin.httpAddress(), Set.of());
            try (ProxyServer proxy = new ProxyServer(
                    new ProxyConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted, Duration.ofSeconds(5)),
                    new InterceptionPolicy(catalogue::isTargeted, upstreams::mayRoute), upstreams, forgeries, tls, transport,
                    EventSink.none(), clock).start()) {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, TlsContexts.trustManagers(List.of(web.root().certificate(), web.issuingCa().certificate()))
                        .getTrustManagers(), null);
                HttpRequest get = HttpRequest.newBuilder(URI.create("https://" + SITE + "/api/status"))
                        .timeout(Duration.ofSeconds(5)).build();
                HttpClient.Version[] versions = {HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1};
                while (System.nanoTime() < deadline) {
                    // a new client per round: new connections (handshakes) and then keep-alive requests
                    HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).sslContext(ssl)
                            .version(versions[requests % 2]).connectTimeout(Duration.ofSeconds(5)).build();
                    for (int i = 0; i < 20 && System.nanoTime() < deadline; i++) {
                        client.send(get, HttpResponse.BodyHandlers.discarding());
                        requests++;
                    }
                }
            }
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            // a failed warm-up only means a colder start; say so and go on
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).warn("Warm-up stopped early: {}", e.toString());
        }
        return requests;
    }
}
