package org.mitmlab.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RSA keys for forged leaves, generated ahead of time on a background thread. An RSA-2048 key takes
 * 50-300 ms to find; signing takes about 1 ms. Keeping a stock means a name seen for the first time
 * costs a signature, not a key search, on the connection's path.
 */
public final class KeyPool implements LeafKeys, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyPool.class);
    static final long QUIET_MILLIS = 500;

    private final int bits;
    private final BigInteger exponent;
    private final SecureRandom random;
    private final BlockingQueue<KeyPair> stock;
    private final Thread filler;
    private final AtomicLong misses = new AtomicLong();
    private volatile boolean closed;
    /** Start of the last take; the filler waits for a quiet moment after it. */
    private volatile long lastTakeNanos = System.nanoTime() - QUIET_MILLIS * 1_000_000L;
    private final int lowWater;
    private final SignatureProvider signatures;

    /** A stock of keys the JDK will sign with. */
    public KeyPool(int bits, BigInteger exponent, int capacity, SecureRandom random) {
        this(bits, exponent, capacity, random, SignatureProvider.jdk());
    }

    /** A stock of keys made ready for {@code signatures} ({@link SignatureProvider#readyToSign}) as they are stocked. */
    public KeyPool(int bits, BigInteger exponent, int capacity, SecureRandom random, SignatureProvider signatures) {
        this.signatures = signatures;
        this.bits = bits;
        this.exponent = exponent;
        this.random = random;
        this.stock = new ArrayBlockingQueue<>(capacity);
        this.lowWater = Math.max(1, capacity / 4);
        this.filler = new Thread(this::fill, "mitmlab-keygen");
        filler.setDaemon(true);
        filler.setPriority(Thread.MIN_PRIORITY);
        filler.start();
    }

    /** A fresh key: from stock when there is one, otherwise generated now on the calling thread. */
    @Override
    public KeyPair take() {
        lastTakeNanos = System.nanoTime();
        KeyPair k = stock.poll();
        if (k != null) {
            return k;
        }
        misses.incrementAndGet();
        return fresh();
    }

    /** Waits (bounded) until the stock holds at least {@code count} keys; for benchmarks and tests. */
    public boolean awaitStock(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (stock.size() < Math.min(count, stock.remainingCapacity() + stock.size())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** How many keys had to be generated on demand because the stock was empty. */
    public long misses() {
        return misses.get();
    }

    public int available() {
        return stock.size();
    }

    /**
     * A new key, ready for the signing provider and with its public half already encoded: the JDK
     * encodes a key lazily, and the first mint with it would, for the key identifier (a branch the
     * warm-up's one key never takes).
     */
    private KeyPair fresh() {
        KeyPair key = signatures.readyToSign(generate());
        key.getPublic().getEncoded();
        return key;
    }

    private KeyPair generate() {
        KeyType type = bits == 2048 ? KeyType.RSA_2048 : bits == 4096 ? KeyType.RSA_4096 : null;
        if (type != null) {
            return type.generate(random, exponent);
        }
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(new java.security.spec.RSAKeyGenParameterSpec(bits, exponent), random);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new PkiException("cannot generate an RSA-" + bits + " key", e);
        }
    }

    /**
     * Fills the stock at start, then refills only when the proxy is quiet (no key taken for
     * {@value #QUIET_MILLIS} ms) or the stock runs low. Refilling right after each take would put a
     * 50 ms key search on the CPU exactly while that connection's handshake needs it (measured: +45 ms
     * time-to-first-byte for a name seen for the first time on a one-core proxy).
     */
    private void fill() {
        try {
            while (!closed) {
                long quietFor = (System.nanoTime() - lastTakeNanos) / 1_000_000;
                boolean low = stock.size() < lowWater;
                if (stock.remainingCapacity() == 0) {
                    Thread.sleep(100);
                } else if (!low && quietFor < QUIET_MILLIS) {
                    Thread.sleep(QUIET_MILLIS - quietFor);
                } else {
                    stock.put(fresh());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Key generation stopped; forged leaves will generate keys on demand", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        filler.interrupt();
    }
}
