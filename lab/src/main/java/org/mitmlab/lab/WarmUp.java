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
import org.mitmlab.domains.LabSite;
import org.mitmlab.domains.SiteRole;
import org.mitmlab.event.EventSink;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.InstructorCa;
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
 * go to one site; every fourth goes to the next of many others, each with its own genuine certificate:
 * half of them lab sites (a public CA's chain with an intermediate), half of them CDN-like names on
 * home-made servers (the leaf alone, under a root an instructor made), the two shapes the proxy meets
 * in a lab and in front of a class's own servers. The proxy's
 * one-entry forgery cache and its origin leg's one-chain memory then make that visit a first one:
 * a chain the JDK checks, a mint, new key material for BoringSSL. With two sites only, as before,
 * the JDK's check ran twice in a whole warm-up, and a benchmark's first new names met that code
 * cold (measured: a first-seen name cost about 2 ms more; docs/performance.md).
 */
public final class WarmUp {
    /** The site most connections go to, as most of a benchmark's or a class's connections do. */
    private static final String USUAL_SITE = "vk.com";
    /** Other sites visited in turn between the usual ones. */
    private static final int OTHER_SITES = 16;
    /**
     * Of the other sites, how many are served as an instructor's own servers are: names with digits
     * and hyphens, like a CDN's, and the leaf alone under a home-made root ({@link InstructorCa}).
     * Warmed on lab sites only, the first such names after the warm-up took branches the JIT had
     * never seen taken (digits in host names and in certificate names, extensions a leaf lacks) and
     * sent compiled code back to the interpreter (docs/performance.md, "Home-made servers in the warm-up").
     */
    private static final int HOME_MADE_SITES = 8;
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
     * answered (and how many of those on home-made servers), and how many of the requests came from
     * single clients, one at a time.
     */
    public record Result(int requests, long firstVisits, int sites, int homeMadeSites, int singleClients) {
    }

    /** CDN-like names under the reserved .test domain, such as sun2-17.userapi-cdn1.test. */
    static List<String> homeMadeNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(String.format(java.util.Locale.ROOT, "sun%d-%02d.userapi-cdn%d.test", i % 9 + 1, 10 + i * 7, i));
        }
        return names;
    }

    /** The first list's first name, then the rest of both in turn, so that a short warm-up still meets both kinds. */
    static List<String> interleaved(List<String> first, List<String> second) {
        List<String> rest = first.subList(1, first.size());
        List<String> out = new ArrayList<>(List.of(first.get(0)));
        for (int i = 0; i < Math.max(rest.size(), second.size()); i++) {
            if (i < second.size()) {
                out.add(second.get(i));
            }
            if (i < rest.size()) {
                out.add(rest.get(i));
            }
        }
        return out;
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
        List<String> labSites = new ArrayList<>();
        labSites.add(USUAL_SITE);
        lab.targeted().stream().filter(n -> !n.equals(USUAL_SITE)).limit(OTHER_SITES - HOME_MADE_SITES).forEach(labSites::add);
        List<String> homeMade = homeMadeNames(HOME_MADE_SITES);
        List<String> sites = interleaved(labSites, homeMade);
        DomainCatalogue catalogue = lab.withTargets(Set.copyOf(labSites)).withSites(homeMade.stream()
                .map(n -> new LabSite(n, SiteRole.TARGETED, "Warm-up CDN node " + n, "Warm-up Servers Ltd", "RSA_2048", "OV"))
                .toList());
        WebPki web = WebPki.generate(clock, random);
        ForgeryProfile profile = ForgeryProfile.kz2019();
        // one RSA key for every site and every forged leaf: a key search takes up to 300 ms here
        KeyPair key = KeyType.RSA_2048.generate(random, profile.publicExponent());
        InstructorCa instructor = InstructorCa.generate("Warm-up Servers Ltd", KeyType.RSA_2048.generate(random), clock, random);
        Map<String, SiteCredential> credentials = new java.util.HashMap<>();
        for (String name : labSites) {
            credentials.put(name, web.issue(catalogue.site(name).orElseThrow(), key, clock, random));
        }
        for (String name : homeMade) {
            credentials.put(name, instructor.issue(name, key, clock, random));
        }
        // stand-in national CAs: the same code path, without a 4096-bit key search
        NationalPki national = new NationalPki(web.root(), web.issuingCa());
        List<X509Certificate> trusted = new ArrayList<>(web.trustBundle());
        trusted.add(instructor.root());
        LeafForger forger = new LeafForger(national, profile);
        KeyPair leafKey = forger.signatures().readyToSign(key);
        // the budget counts from here: on a one-core proxy the key searches above can take most of it
        long deadline = System.nanoTime() + budget.toNanos();
        long mintUntil = System.nanoTime() + budget.toNanos() / 6;
        for (int i = 0; System.nanoTime() < mintUntil; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("warm-up stopped while minting");
            }
            SiteCredential site = credentials.get(sites.get(i % sites.size()));
            forger.forge(site.name(), site.leaf(), leafKey, random);
        }
        // three visits to the usual site, then one to the next other site, in turn
        List<String> visits = new ArrayList<>();
        for (String other : sites.subList(1, sites.size())) {
            visits.addAll(List.of(USUAL_SITE, USUAL_SITE, USUAL_SITE, other));
        }
        TlsContexts forgetful = tls.rememberingAtMost(1);
        // one key for every warm-up leaf (a real proxy takes a fresh one from its stock, made ready for
        // the forger's provider as this one), and room for one leaf only: every change of site then mints again
        try (ForgeryCache forgeries = new ForgeryCache(forger, () -> leafKey, random, 1);
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
                    int homeMadeAnswered = (int) homeMade.stream().filter(answered::contains).count();
                    return new Result(busy + one, forgeries.mintedCount(), answered.size(), homeMadeAnswered, one);
                } finally {
                    ReferenceCountUtil.release(client);
                }
            }
        } catch (RuntimeException e) {
            // a failed warm-up only means a colder start; say so and go on
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).warn("Warm-up stopped early: {}", e.toString());
            return new Result(0, 0, 0, 0, 0);
        }
    }
}
