package org.mitmlab.probe;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.mitmlab.detect.CtLookup;
import org.mitmlab.detect.HostObservations;
import org.mitmlab.detect.ObservationPath;
import org.mitmlab.detect.TlsObservation;
import org.mitmlab.detect.TrustBundles;

/**
 * Makes every observation the detectors need for one host, the way a measurement client would:
 *
 * <pre>
 *  path under test ── SNI host ─────────────▶ primary      (what the student's machine is shown)
 *                  ── SNI unrelated name ──▶ SNI variant  (same address: does the name matter?)
 *                  ── no SNI ──────────────▶ SNI variant
 *  vantage ───────── SNI host ─────────────▶ vantage      (a path that avoids the box)
 *  CT log ────────── certificates of host ─▶ ct
 * </pre>
 * Every handshake is bounded by the fetcher's timeout; {@link #observeAll} runs a few hosts at once.
 */
public final class HostProbe {
    private final PathUnderTest path;
    private final Optional<Vantage> vantage;
    private final Optional<CtLogClient> ct;
    private final TrustBundles trust;
    private final UnaryOperator<String> unrelatedName;
    private final ChainFetcher fetcher;
    private final Clock clock;

    /**
     * @param unrelatedName for a host, a name the box has no reason to treat specially (a control site)
     */
    public HostProbe(PathUnderTest path, Optional<Vantage> vantage, Optional<CtLogClient> ct, TrustBundles trust,
            UnaryOperator<String> unrelatedName, ChainFetcher fetcher, Clock clock) {
        this.path = Objects.requireNonNull(path, "path");
        this.vantage = Objects.requireNonNull(vantage, "vantage");
        this.ct = Objects.requireNonNull(ct, "ct");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.unrelatedName = Objects.requireNonNull(unrelatedName, "unrelatedName");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public HostObservations observe(String host) {
        TlsObservation primary = onPath(host, host);
        List<TlsObservation> variants = new ArrayList<>();
        if (primary.observed()) {
            String unrelated = unrelatedName.apply(host);
            if (unrelated != null && !unrelated.equals(host)) {
                variants.add(onPath(host, unrelated));
            }
            variants.add(onPath(host, null));
        }
        Optional<TlsObservation> seenFromVantage = vantage.map(v -> toObservation(host, v.path(), host, v.observe(host)));
        Optional<CtLookup> logged = ct.map(c -> c.lookup(host));
        return new HostObservations(host, primary, variants, seenFromVantage, logged);
    }

    /**
     * Observes every host, {@code parallelism} at a time. A host whose observations take longer than
     * {@code perHost} gets a failed primary observation instead.
     */
    public List<HostObservations> observeAll(List<String> hosts, int parallelism, Duration perHost) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, hosts.size())), r -> {
            Thread t = new Thread(r, "mitmlab-detect");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HostObservations>> futures = new ArrayList<>();
            for (String h : hosts) {
                futures.add(pool.submit(() -> observe(h)));
            }
            List<HostObservations> out = new ArrayList<>();
            long deadline = System.nanoTime() + perHost.toNanos() * ((hosts.size() + parallelism - 1) / Math.max(1, parallelism) + 1);
            for (int i = 0; i < hosts.size(); i++) {
                out.add(await(futures.get(i), hosts.get(i), deadline));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private HostObservations await(Future<HostObservations> future, String host, long deadline) throws InterruptedException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return HostObservations.of(TlsObservation.failed(host, path.description(), host, "gave up waiting for " + host, clock.instant()));
        } catch (ExecutionException e) {
            return HostObservations.of(TlsObservation.failed(host, path.description(), host, "probe failed: " + e.getCause(), clock.instant()));
        }
    }

    private TlsObservation onPath(String host, String sni) {
        return toObservation(host, path.description(), sni, path.fetch(fetcher, host, sni));
    }

    private TlsObservation toObservation(String host, ObservationPath where, String sni, ChainFetcher.Fetched fetched) {
        return fetched.ok() ? TlsObservation.seen(host, where, sni, fetched.chain(), trust, clock.instant())
                : TlsObservation.failed(host, where, sni, fetched.failure(), clock.instant());
    }
}
