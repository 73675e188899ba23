package org.mitmlab.lab;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mitmlab.domains.DomainCatalogue;
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
 *
 * <p>All the paths get their share: minting on its own, then a {@link WarmUpClient} making full
 * handshakes, keep-alive requests and uploads through the proxy to two sites in turn, while the
 * proxy's one-entry forgery cache makes every change of site mint again (a name's first visit).
 */
public final class WarmUp {
    private static final List<String> SITES = List.of("vk.com", "ok.ru");
    /** Connections in turn: a switch of site means a mint (one-entry cache), so about half of them mint. */
    private static final List<String> VISITS = List.of("vk.com", "vk.com", "vk.com", "ok.ru");
    private static final int LANES = 8;
    private static final int REQUESTS_PER_CONNECTION = 6;

    private WarmUp() {
    }

    /** What a warm-up did: intercepted requests answered, and leaves minted for first visits. */
    public record Result(int requests, long firstVisits) {
    }

    /**
     * Setting up (a few key searches, about a second) comes first; then minting and requests run for
     * {@code budget}.
     */
    public static Result run(Transport transport, TlsContexts tls, Duration budget) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        DomainCatalogue catalogue = DomainCatalogue.kz2019().withTargets(Set.copyOf(SITES));
        WebPki web = WebPki.generate(clock, random);
        Map<String, SiteCredential> credentials = new java.util.HashMap<>();
        for (String name : SITES) {
            credentials.put(name, web.issue(catalogue.site(name).orElseThrow(), clock, random));
        }
        // stand-in national CAs: the same code path, without a 4096-bit key search
        NationalPki national = new NationalPki(web.root(), web.issuingCa());
        ForgeryProfile profile = ForgeryProfile.kz2019();
        List<X509Certificate> trusted = new ArrayList<>(web.trustBundle());
        LeafForger forger = new LeafForger(national, profile);
        KeyPair key = KeyType.RSA_2048.generate(random, profile.publicExponent());
        // the budget counts from here: on a one-core proxy the key searches above can take most of it
        long deadline = System.nanoTime() + budget.toNanos();
        long mintUntil = System.nanoTime() + budget.toNanos() / 6;
        X509Certificate genuine = credentials.get(SITES.get(0)).leaf();
        while (System.nanoTime() < mintUntil) {
            forger.forge(SITES.get(0), genuine, key, random);
        }
        // one key for every warm-up leaf (a real proxy takes a fresh one from its stock), and room for
        // one leaf only: every change of site then mints again (see VISITS)
        try (ForgeryCache forgeries = new ForgeryCache(forger, () -> key, random, 1);
                OriginServer origin = new OriginServer(transport, tls, catalogue, credentials, web, clock)
                        .start(InetAddress.getLoopbackAddress(), 0, 0)) {
            LabUpstreams upstreams = new LabUpstreams(catalogue, origin.httpsAddress(), origin.httpAddress(), Set.of());
            try (ProxyServer proxy = new ProxyServer(
                    new ProxyConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted, Duration.ofSeconds(5)),
                    new InterceptionPolicy(catalogue::isTargeted, upstreams::mayRoute), upstreams, forgeries, tls, transport,
                    EventSink.none(), clock).start()) {
                SslContext client = tls.client(List.of(national.root().certificate()), List.of("http/1.1"));
                try {
                    if (client.sessionContext() instanceof OpenSslSessionContext sessions) {
                        sessions.setSessionCacheEnabled(false); // full handshakes, as a benchmark's clients make
                    }
                    int requests = new WarmUpClient(transport, client, proxy.address(), VISITS)
                            .run(LANES, REQUESTS_PER_CONNECTION, deadline);
                    return new Result(requests, forgeries.mintedCount());
                } finally {
                    ReferenceCountUtil.release(client);
                }
            }
        } catch (RuntimeException e) {
            // a failed warm-up only means a colder start; say so and go on
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).warn("Warm-up stopped early: {}", e.toString());
            return new Result(0, 0);
        }
    }
}
