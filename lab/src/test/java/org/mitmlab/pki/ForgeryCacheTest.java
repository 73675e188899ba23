package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mitmlab.domains.DomainCatalogue;

/**
 * {@link ForgeryCache}: one mint per (name, genuine certificate), off the caller's thread, bounded;
 * and {@link KeyPool}: keys made ahead of time on a background thread.
 */
class ForgeryCacheTest {
    private static final long WAIT_SECONDS = 30;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger E3 = BigInteger.valueOf(3);

    private static NationalPki national;
    private static WebPki webPki;
    private static LeafForger forger;
    /** Genuine certificates of a few EC sites (cheap keys), issued once. */
    private static final Map<String, X509Certificate> GENUINE = new HashMap<>();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void pkis() {
        national = NationalPki.generate(FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        webPki = WebPki.generate(FIXED_CLOCK, RANDOM);
        forger = new LeafForger(national, ForgeryProfile.kz2019());
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        for (String name : List.of("google.com", "facebook.com", "youtube.com", "instagram.com")) {
            GENUINE.put(name, webPki.issue(catalogue.site(name).orElseThrow(), FIXED_CLOCK, RANDOM).leaf());
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private KeyPool pool(int capacity) {
        KeyPool pool = new KeyPool(2048, E3, capacity, RANDOM);
        toClose.add(pool);
        return pool;
    }

    private ForgeryCache cache(KeyPool keys, int capacity) {
        ForgeryCache cache = new ForgeryCache(forger, keys, RANDOM, capacity);
        toClose.add(cache);
        return cache;
    }

    private static ForgeryCache.Minted await(CompletableFuture<ForgeryCache.Minted> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    // ---- ForgeryCache ------------------------------------------------------------------------

    @Test
    void sameNameAndGenuineCertificateIsMintedOnceThenServedFromCache() throws Exception {
        ForgeryCache cache = cache(pool(2), 16);
        X509Certificate genuine = GENUINE.get("google.com");

        ForgeryCache.Minted first = await(cache.forge("google.com", genuine));
        assertThat(first.cached()).as("first forge for a name is a fresh mint").isFalse();
        assertThat(first.mintMillis()).as("a fresh mint reports its time").isPositive();
        assertThat(first.leaf().genuine()).as("leaf records the genuine it copies").isEqualTo(Fingerprint.of(genuine));

        CompletableFuture<ForgeryCache.Minted> secondFuture = cache.forge("google.com", genuine);
        assertThat(secondFuture).as("a cached leaf is returned already complete: the caller never waits").isDone();
        ForgeryCache.Minted second = await(secondFuture);
        assertThat(second.cached()).as("second forge for the same (name, genuine)").isTrue();
        assertThat(second.mintMillis()).as("cached mint time").isZero();
        assertThat(second.leaf()).as("same ForgedLeaf instance").isSameAs(first.leaf());
        assertThat(second.leaf().certificate()).as("same certificate").isEqualTo(first.leaf().certificate());
        assertThat(second.leaf().key()).as("same private key").isSameAs(first.leaf().key());
        assertThat(cache.mintedCount()).as("minted count").isEqualTo(1);
        assertThat(cache.size()).as("cache size").isEqualTo(1);
    }

    @Test
    void concurrentRequestsForTheSameNameShareOneMint() throws Exception {
        ForgeryCache cache = cache(pool(1), 16);
        X509Certificate genuine = GENUINE.get("facebook.com");
        List<CompletableFuture<ForgeryCache.Minted>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(cache.forge("facebook.com", genuine));
        }
        List<ForgeryCache.Minted> minted = new ArrayList<>();
        for (CompletableFuture<ForgeryCache.Minted> f : futures) {
            minted.add(await(f));
        }
        assertThat(minted.stream().map(ForgeryCache.Minted::leaf).collect(Collectors.toSet()))
                .as("all five requests got the same leaf").hasSize(1);
        assertThat(minted.stream().filter(m -> !m.cached()).count()).as("requests that minted").isEqualTo(1);
        assertThat(cache.mintedCount()).as("minted count").isEqualTo(1);
    }

    @Test
    void reissuedGenuineCertificateForTheSameNameGetsANewForgery() throws Exception {
        ForgeryCache cache = cache(pool(2), 16);
        X509Certificate before = GENUINE.get("youtube.com");
        X509Certificate reissued = webPki.issue(DomainCatalogue.kz2019().site("youtube.com").orElseThrow(), FIXED_CLOCK,
                RANDOM).leaf();
        assertThat(Fingerprint.of(reissued)).as("re-issued genuine differs").isNotEqualTo(Fingerprint.of(before));

        ForgeryCache.Minted old = await(cache.forge("youtube.com", before));
        ForgeryCache.Minted fresh = await(cache.forge("youtube.com", reissued));
        assertThat(fresh.cached()).as("forgery of the re-issued certificate is a new mint").isFalse();
        assertThat(fresh.leaf().certificate()).as("new forged certificate").isNotEqualTo(old.leaf().certificate());
        assertThat(fresh.leaf().certificate().getPublicKey()).as("new key as well")
                .isNotEqualTo(old.leaf().certificate().getPublicKey());
        assertThat(fresh.leaf().genuine()).as("copies the re-issued genuine").isEqualTo(Fingerprint.of(reissued));
        assertThat(fresh.leaf().certificate().getSerialNumber().subtract(reissued.getSerialNumber()).abs())
                .as("serial derived from the re-issued genuine").isLessThan(PkiTestSupport.TWO_TO_THE_32);
        assertThat(cache.mintedCount()).as("minted count").isEqualTo(2);
    }

    @Test
    void mintingCompletesOnTheMintThreadNotTheCaller() throws Exception {
        // An empty pool (just created) makes the mint generate its RSA key: slow enough that the
        // callback below is attached before completion and so runs on the completing thread.
        ForgeryCache cache = cache(pool(1), 16);
        String caller = Thread.currentThread().getName();
        AtomicReference<String> completedOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);

        CompletableFuture<ForgeryCache.Minted> f = cache.forge("instagram.com", GENUINE.get("instagram.com"));
        boolean alreadyDone = f.isDone();
        f.whenComplete((m, e) -> {
            completedOn.set(Thread.currentThread().getName());
            done.countDown();
        });
        assumeThat(alreadyDone).as("mint still running when the callback was attached").isFalse();

        assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("mint completed").isTrue();
        assertThat(f.join().cached()).as("fresh mint").isFalse();
        assertThat(completedOn.get()).as("thread that completed the future").isEqualTo("mitmlab-mint")
                .isNotEqualTo(caller);
    }

    @Test
    void oldestEntryIsEvictedWhenCapacityIsExceeded() throws Exception {
        ForgeryCache cache = cache(pool(2), 2);
        await(cache.forge("google.com", GENUINE.get("google.com")));
        await(cache.forge("facebook.com", GENUINE.get("facebook.com")));
        await(cache.forge("youtube.com", GENUINE.get("youtube.com")));
        assertThat(cache.size()).as("entries kept with capacity 2").isEqualTo(2);
        assertThat(cache.mintedCount()).as("minted so far").isEqualTo(3);

        ForgeryCache.Minted youtube = await(cache.forge("youtube.com", GENUINE.get("youtube.com")));
        assertThat(youtube.cached()).as("newest entry youtube.com still cached").isTrue();
        ForgeryCache.Minted google = await(cache.forge("google.com", GENUINE.get("google.com")));
        assertThat(google.cached()).as("oldest entry google.com was evicted and is minted again").isFalse();
        assertThat(cache.size()).as("still at capacity").isEqualTo(2);
        assertThat(cache.mintedCount()).as("minted after re-mint").isEqualTo(4);
        // inserting google.com evicted facebook.com (then the oldest), youtube.com stays
        assertThat(await(cache.forge("youtube.com", GENUINE.get("youtube.com"))).cached())
                .as("youtube.com survives the second eviction").isTrue();
        assertThat(await(cache.forge("facebook.com", GENUINE.get("facebook.com"))).cached())
                .as("facebook.com was evicted by the re-minted google.com").isFalse();
    }

    @Test
    void failedMintIsReportedAndNotCachedSoTheNextConnectionRetries() throws Exception {
        FailingRandom random = new FailingRandom();
        ForgeryCache cache = new ForgeryCache(forger, pool(2), random, 16);
        toClose.add(cache);
        X509Certificate genuine = GENUINE.get("google.com");

        random.failing = true;
        CompletableFuture<ForgeryCache.Minted> failed = cache.forge("google.com", genuine);
        assertThatThrownBy(() -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("failed mint")
                .hasRootCauseMessage(FailingRandom.MESSAGE);
        assertThat(cache.size()).as("failed mint left in cache").isZero();
        assertThat(cache.mintedCount()).as("minted count after failure").isZero();

        random.failing = false;
        ForgeryCache.Minted retried = await(cache.forge("google.com", genuine));
        assertThat(retried.cached()).as("retry after failure is a fresh mint").isFalse();
        assertThat(cache.mintedCount()).as("minted count after retry").isEqualTo(1);
    }

    @Test
    void aNameWhoseFirstMintFailedIsEvictedInItsTurnNotAheadOfOlderEntries() throws Exception {
        FailingRandom random = new FailingRandom();
        ForgeryCache cache = new ForgeryCache(forger, pool(2), random, 2);
        toClose.add(cache);

        random.failing = true;
        CompletableFuture<ForgeryCache.Minted> failed = cache.forge("google.com", GENUINE.get("google.com"));
        assertThatThrownBy(() -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("first google.com mint fails");
        random.failing = false;

        await(cache.forge("google.com", GENUINE.get("google.com")));     // cache: google
        await(cache.forge("facebook.com", GENUINE.get("facebook.com"))); // cache: google, facebook
        await(cache.forge("youtube.com", GENUINE.get("youtube.com")));   // evicts google
        await(cache.forge("google.com", GENUINE.get("google.com")));     // should evict facebook, the oldest
        assertThat(cache.size()).as("entries with capacity 2").isEqualTo(2);

        assertThat(await(cache.forge("google.com", GENUINE.get("google.com"))).cached())
                .as("google.com, inserted last, is still cached").isTrue();
        assertThat(await(cache.forge("youtube.com", GENUINE.get("youtube.com"))).cached())
                .as("youtube.com, second newest, is still cached").isTrue();
    }

    /** A SecureRandom whose nextLong (used for the forged serial) can be made to fail. */
    private static final class FailingRandom extends SecureRandom {
        static final String MESSAGE = "injected failure while minting";
        private static final long serialVersionUID = 1L;
        volatile boolean failing;

        @Override
        public long nextLong() {
            if (failing) {
                throw new IllegalStateException(MESSAGE);
            }
            return super.nextLong();
        }
    }

    // ---- KeyPool -----------------------------------------------------------------------------

    @Test
    void keyPoolFillsInTheBackgroundAndCountsMissesOnceDrained() throws Exception {
        KeyPool pool = pool(2);
        assertThat(pool.awaitStock(2, WAIT_SECONDS, TimeUnit.SECONDS)).as("stock of 2 filled in the background").isTrue();
        assertThat(pool.available()).as("available keys").isEqualTo(2);
        assertThat(pool.misses()).as("misses before any take").isZero();
        assertThat(keygenThreads()).as("a daemon filler thread named mitmlab-keygen runs")
                .anyMatch(t -> t.isAlive() && t.isDaemon());

        KeyPair a = pool.take();
        KeyPair b = pool.take();
        assertThat(pool.misses()).as("taking the stocked keys is not a miss").isZero();
        assertThat(a.getPublic()).as("two distinct keys").isNotEqualTo(b.getPublic());

        // The filler may have one more key ready (it waits on a full stock holding one), so take
        // until the stock is empty; the first take from an empty stock is a miss.
        KeyPair onDemand = null;
        for (int i = 0; i < 6 && pool.misses() == 0; i++) {
            onDemand = pool.take();
        }
        assertThat(pool.misses()).as("misses after draining the pool").isPositive();
        for (KeyPair k : new KeyPair[] {a, b, onDemand}) {
            RSAPublicKey pub = (RSAPublicKey) k.getPublic();
            assertThat(pub.getModulus().bitLength()).as("pool key size").isEqualTo(2048);
            assertThat(pub.getPublicExponent()).as("pool key exponent (the 2019 e = 3)").isEqualTo(E3);
        }
    }

    @Test
    void awaitStockClampsToCapacity() throws Exception {
        KeyPool pool = pool(1);
        assertThat(pool.awaitStock(5, WAIT_SECONDS, TimeUnit.SECONDS)).as("asking for 5 waits only for capacity 1")
                .isTrue();
        assertThat(pool.available()).as("available").isEqualTo(1);
    }

    @Test
    void closingThePoolStopsItsFillerAndAwaitStockThenGivesUpAfterItsTimeout() throws Exception {
        Set<Thread> before = keygenThreads();
        KeyPool pool = pool(1);
        Set<Thread> mine = keygenThreads();
        mine.removeAll(before);
        assertThat(mine).as("one new filler thread").hasSize(1);
        Thread filler = mine.iterator().next();

        pool.close();
        filler.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(filler.isAlive()).as("filler thread alive after close").isFalse();

        while (pool.available() > 0) {
            pool.take();
        }
        long start = System.nanoTime();
        boolean filled = pool.awaitStock(1, 200, TimeUnit.MILLISECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(filled).as("awaitStock on a closed, empty pool").isFalse();
        assertThat(waitedMillis).as("waited about the timeout, bounded").isBetween(150L, 5_000L);
        assertThat(pool.take().getPublic()).as("a closed pool still hands out keys, made on demand").isNotNull();
        assertThat(pool.misses()).as("that take was a miss").isPositive();
    }

    private static Set<Thread> keygenThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("mitmlab-keygen"))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
