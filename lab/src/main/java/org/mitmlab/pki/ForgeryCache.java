package org.mitmlab.pki;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forged leaves, minted once per (name, genuine certificate) on a dedicated executor and cached.
 * Callers on a Netty event loop get a future and never wait on RSA. When the genuine certificate
 * changes (the origin re-issued it) the key changes too, so a stale forgery is never served.
 */
public final class ForgeryCache implements Forgeries, AutoCloseable {
    private final LeafForger forger;
    private final LeafKeys keys;
    private final SecureRandom random;
    private final int capacity;
    private final Map<Key, CompletableFuture<Minted>> cache = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Key> insertionOrder = new ConcurrentLinkedQueue<>();
    private final ExecutorService minter;
    private final AtomicLong minted = new AtomicLong();

    private final boolean ownsKeys;

    public ForgeryCache(LeafForger forger, LeafKeys keys, SecureRandom random, int capacity) {
        this(forger, keys, random, capacity, false);
    }

    private ForgeryCache(LeafForger forger, LeafKeys keys, SecureRandom random, int capacity, boolean ownsKeys) {
        this.ownsKeys = ownsKeys;
        this.forger = forger;
        this.keys = keys;
        this.random = random;
        this.capacity = capacity;
        this.minter = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mitmlab-mint");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A cache minting for {@code profile} from its own key stock, made for that profile's key size
     * and exponent (so the two cannot disagree); {@link #close} stops both.
     */
    public static ForgeryCache forProfile(NationalPki national, ForgeryProfile profile, int keyStock, int capacity,
            SecureRandom random) {
        LeafForger forger = new LeafForger(national, profile);
        KeyPool keys = new KeyPool(profile.keyBits(), profile.publicExponent(), keyStock, random, forger.signatures());
        return new ForgeryCache(forger, keys, random, capacity, true);
    }

    /** The forged leaf for {@code name} copying {@code genuine}; completes on the mint executor. */
    @Override
    public CompletableFuture<Minted> forge(String name, X509Certificate genuine) {
        Key key = new Key(name, Fingerprint.of(genuine));
        CompletableFuture<Minted> existing = cache.get(key);
        if (existing != null) {
            return existing.thenApply(m -> new Minted(m.leaf(), true, 0));
        }
        CompletableFuture<Minted> created = new CompletableFuture<>();
        existing = cache.putIfAbsent(key, created);
        if (existing != null) {
            return existing.thenApply(m -> new Minted(m.leaf(), true, 0));
        }
        insertionOrder.add(key);
        evictBeyondCapacity();
        minter.execute(() -> {
            long start = System.nanoTime();
            try {
                ForgedLeaf leaf = forger.forge(name, genuine, keys.take(), random);
                minted.incrementAndGet();
                created.complete(new Minted(leaf, false, (System.nanoTime() - start) / 1_000_000.0));
            } catch (RuntimeException e) {
                cache.remove(key, created); // let the next connection try again
                insertionOrder.remove(key);
                created.completeExceptionally(e);
            }
        });
        return created;
    }

    /**
     * Waits (bounded) until the key stock is full: keys generated now are not generated later on the
     * core that relays traffic. Returns false when the time ran out first.
     */
    public boolean awaitKeyStock(java.time.Duration timeout) throws InterruptedException {
        return !(keys instanceof KeyPool pool) || pool.awaitStock(Integer.MAX_VALUE, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Who computes the forged leaves' signatures, and whose form their keys are in. */
    @Override
    public SignatureProvider signatures() {
        return forger.signatures();
    }

    /** The forgery profile's name, for events. */
    @Override
    public String profileName() {
        return forger.profile().name();
    }

    public long mintedCount() {
        return minted.get();
    }

    public int size() {
        return cache.size();
    }

    private void evictBeyondCapacity() {
        while (cache.size() > capacity) {
            Key oldest = insertionOrder.poll();
            if (oldest == null) {
                return;
            }
            cache.remove(oldest);
        }
    }

    @Override
    public void close() {
        minter.shutdownNow();
        try {
            minter.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsKeys && keys instanceof KeyPool pool) {
            pool.close();
        }
    }

    private record Key(String name, Fingerprint genuine) {
    }

    /**
     * A forged leaf and how it was obtained.
     *
     * @param cached       true when an earlier connection already minted it
     * @param mintMillis   time spent minting (0 when cached)
     */
    public record Minted(ForgedLeaf leaf, boolean cached, double mintMillis) {
    }
}
