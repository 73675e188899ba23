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
 * own short-lived keys, loopback only) on the real proxy's event loops, so the JIT has compiled the
 * hot code when the first students, or a benchmark, arrive. A cold JVM otherwise spends its first
 * seconds compiling on the same core that relays traffic.
 *
 * <p>All the paths get their share, in three phases: minting on its own (a sixth of the budget); a
 * {@link WarmUpClient} with busy lanes making full handshakes, keep-alive requests and uploads
 * through the proxy; and, in the last twelfth, single clients one at a time, each site's first visit
 * and two repeats, with the event loops idle in between, as real clients come. Most busy connections
 * go to one site; every fourth goes to the next of many others, each with its own genuine certificate. The proxy's
 * one-entry forgery cache and its origin leg's one-chain memory then make that visit a first one:
 * a chain the JDK checks, a mint, new key material for BoringSSL. With two sites only, as before,
 * the JDK's check ran twice in a whole warm-up, and a benchmark's first new names met that code
 * cold (measured: a first-seen name cost about 2 ms more; docs/performance.md).
 */
public final class WarmUp {
    /** The site most connections go to, as most of a benchmark's or a class's connections do. */
    private static final String USUAL_SITE = "vk.com";
    /** Other targeted sites visited in turn between the usual ones. */
    private static final int OTHER_SITES = 16;
    private static final int LANES = 8;
    private static final int REQUESTS_PER_CONNECTION = 6;
    /**
     * The single clients' share of the budget: 1/12, about 250 requests in a 15 s warm-up. Taken from
     * the busy lanes, so kept small.
     */
    private static final int SINGLE_CLIENT_SHARE = 12;
    /** Enough for the event loops to wait for work between single clients, as they do between real ones. */
    private static final Duration PAUSE_BETWEEN_SINGLE_CLIENTS = Duration.ofMillis(2);

    private WarmUp() {
    }

    /**
     * What a warm-up did: intercepted requests answered, leaves minted for first visits, how many sites
     * answered, and how many of the requests came from single clients, one at a time.
     */
    public record Result(int requests, long firstVisits, int sites, int singleClients) {
    }

    /** Three visits to each site other than the usual one, in turn: a first visit, then two repeats. */
    static List<String> singleVisits(List<String> sites) {
        List<String> visits = new ArrayList<>();
        for (String other : sites.subList(1, sites.size())) {
            visits.addAll(List.of(other, other, other));
        }
        return visits;
    }

    /**
     * Setting up (a few key searches, about a second) comes first; then minting and requests run for
     * {@code budget}.
     */
    public static Result run(Transport transport, TlsContexts tls, Duration budget) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        DomainCatalogue lab = DomainCatalogue.kz2019();
        List<String> sites = new ArrayList<>();
        sites.add(USUAL_SITE);
        lab.targeted().stream().filter(n -> !n.equals(USUAL_SITE)).limit(OTHER_SITES).forEach(sites::add);
        DomainCatalogue catalogue = lab.withTargets(Set.copyOf(sites));
        WebPki web = WebPki.generate(clock, random);
        ForgeryProfile profile = ForgeryProfile.kz2019();
        // one RSA key for every site and every forged leaf: a key search takes up to 300 ms here
        KeyPair key = KeyType.RSA_2048.generate(random, profile.publicExponent());
        Map<String, SiteCredential> credentials = new java.util.HashMap<>();
        for (String name : sites) {
            credentials.put(name, web.issue(catalogue.site(name).orElseThrow(), key, clock, random));
        }
        // stand-in national CAs: the same code path, without a 4096-bit key search
        NationalPki national = new NationalPki(web.root(), web.issuingCa());
        List<X509Certificate> trusted = new ArrayList<>(web.trustBundle());
        LeafForger forger = new LeafForger(national, profile);
        // the budget counts from here: on a one-core proxy the key searches above can take most of it
        long deadline = System.nanoTime() + budget.toNanos();
        long mintUntil = System.nanoTime() + budget.toNanos() / 6;
        for (int i = 0; System.nanoTime() < mintUntil; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("warm-up stopped while minting");
            }
            SiteCredential site = credentials.get(sites.get(i % sites.size()));
            forger.forge(site.name(), site.leaf(), key, random);
        }
        // three visits to the usual site, then one to the next other site, in turn
        List<String> visits = new ArrayList<>();
        for (String other : sites.subList(1, sites.size())) {
            visits.addAll(List.of(USUAL_SITE, USUAL_SITE, USUAL_SITE, other));
        }
        TlsContexts forgetful = tls.rememberingAtMost(1);
        // one key for every warm-up leaf (a real proxy takes a fresh one from its stock), and room for
        // one leaf only: every change of site then mints again
        try (ForgeryCache forgeries = new ForgeryCache(forger, () -> key, random, 1);
                OriginServer origin = new OriginServer(transport, tls, catalogue, credentials, web, clock)
                        .start(InetAddress.getLoopbackAddress(), 0, 0)) {
            LabUpstreams upstreams = new LabUpstreams(catalogue, origin.httpsAddress(), origin.httpAddress(), Set.of());
            try (ProxyServer proxy = new ProxyServer(
                    new ProxyConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted, Duration.ofSeconds(5)),
                    new InterceptionPolicy(catalogue::isTargeted, upstreams::mayRoute), upstreams, forgeries, forgetful, transport,
                    EventSink.none(), clock).start()) {
                SslContext client = forgetful.client(List.of(national.root().certificate()), List.of("http/1.1"));
                try {
                    if (client.sessionContext() instanceof OpenSslSessionContext sessions) {
                        sessions.setSessionCacheEnabled(false); // full handshakes, as a benchmark's clients make
                    }
                    WarmUpClient load = new WarmUpClient(transport, client, proxy.address(), visits);
                    int busy = load.run(LANES, REQUESTS_PER_CONNECTION, deadline - budget.toNanos() / SINGLE_CLIENT_SHARE);
                    // the last twelfth: single clients, each site's first visit and two more, as a
                    // benchmark's or a student's first requests come after the warm-up
                    WarmUpClient single = new WarmUpClient(transport, client, proxy.address(), singleVisits(sites));
                    int one = single.runOneAtATime(PAUSE_BETWEEN_SINGLE_CLIENTS, deadline);
                    java.util.Set<String> answered = new java.util.HashSet<>(load.answeredNames());
                    answered.addAll(single.answeredNames());
                    return new Result(busy + one, forgeries.mintedCount(), answered.size(), one);
                } finally {
                    ReferenceCountUtil.release(client);
                }
            }
        } catch (RuntimeException e) {
            // a failed warm-up only means a colder start; say so and go on
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).warn("Warm-up stopped early: {}", e.toString());
            return new Result(0, 0, 0, 0);
        }
    }
}
