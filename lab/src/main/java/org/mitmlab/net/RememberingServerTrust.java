package org.mitmlab.net;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's verification of servers' chains, remembering for a while the chains it accepted. The
 * proxy verifies the origin on every intercepted connection, and a site sends the same chain every
 * time. The JDK's check (path building, algorithm constraints, end-entity checks that throw and catch
 * two exceptions per call) was about a tenth of a new connection's CPU on the proxy.
 *
 * <p>Only the engine check used by the proxy's origin leg remembers; the others go to the JDK.
 * A chain is accepted again without the JDK only if it is byte for byte one the JDK accepted, for
 * the same key-exchange type and the same expected host, at most {@link #REMEMBER_FOR} later and while
 * every certificate in it is still within its validity. Everything else, rejections included, goes to
 * the JDK: a chain that failed is never remembered.
 */
final class RememberingServerTrust extends ForwardingTrustManager {
    static final Duration REMEMBER_FOR = Duration.ofMinutes(10);
    static final int CAPACITY = 4096;

    private final Clock clock;
    private final int capacity;
    /** Chain key → until when it may be accepted again; least recently used first. */
    private final Map<String, Instant> accepted = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > capacity;
        }
    };

    RememberingServerTrust(X509ExtendedTrustManager jdk, Clock clock) {
        this(jdk, clock, CAPACITY);
    }

    /** Remembers at most {@code capacity} chains, the least recently used going first. */
    RememberingServerTrust(X509ExtendedTrustManager jdk, Clock clock, int capacity) {
        super(jdk);
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        String expectedHost = engine == null || engine.getSSLParameters().getEndpointIdentificationAlgorithm() == null
                ? "" : String.valueOf(engine.getPeerHost());
        String key = keyOf(chain, authType, expectedHost);
        if (!remembered(key)) {
            super.checkServerTrusted(chain, authType, engine);
            remember(key, chain);
        }
    }

    /** How many chains are remembered; for tests. */
    int size() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    private boolean remembered(String key) {
        Instant until;
        synchronized (accepted) {
            until = accepted.get(key);
        }
        return until != null && clock.instant().isBefore(until);
    }

    private void remember(String key, X509Certificate[] chain) {
        Instant until = clock.instant().plus(REMEMBER_FOR);
        for (X509Certificate c : chain) {
            Instant notAfter = c.getNotAfter().toInstant();
            if (notAfter.isBefore(until)) {
                until = notAfter;
            }
        }
        synchronized (accepted) {
            accepted.put(key, until);
        }
    }

    /** SHA-256 over the chain's encodings, with the key-exchange type and the host the name must match. */
    private static String keyOf(X509Certificate[] chain, String authType, String expectedHost) throws CertificateException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (X509Certificate c : chain) {
                byte[] der = c.getEncoded(); // Netty's lazy certificates hand their bytes over without parsing
                sha256.update((byte) (der.length >>> 24));
                sha256.update((byte) (der.length >>> 16));
                sha256.update((byte) (der.length >>> 8));
                sha256.update((byte) der.length);
                sha256.update(der);
            }
            return authType + " " + expectedHost + " " + Base64.getEncoder().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
