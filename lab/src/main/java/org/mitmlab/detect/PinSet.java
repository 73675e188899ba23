package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mitmlab.domains.HostNames;
import org.mitmlab.pki.Fingerprint;

/**
 * Per-site pins, like a mobile app's pinned keys or the old browser static pins: for each host the
 * SPKI hashes of the CA keys its genuine chain may use. A connection passes when any key of its
 * chain (presented certificates plus the root the client built the path to) is pinned.
 */
public final class PinSet {
    private final Map<String, Set<Fingerprint>> pins;

    private PinSet(Map<String, Set<Fingerprint>> pins) {
        Map<String, Set<Fingerprint>> copy = new LinkedHashMap<>();
        pins.forEach((host, keys) -> copy.put(host, Set.copyOf(keys)));
        this.pins = Map.copyOf(copy);
    }

    public static PinSet none() {
        return new PinSet(Map.of());
    }

    /**
     * Pins generated from genuine chains: for each host, every CA certificate of its genuine chain
     * (the issuing CA) plus the backup roots (HPKP asked for a backup pin, so a CA change does not
     * lock users out).
     */
    public static PinSet fromGenuineChains(Map<String, List<X509Certificate>> genuineChains,
            Collection<X509Certificate> backupRoots) {
        Map<String, Set<Fingerprint>> pins = new LinkedHashMap<>();
        genuineChains.forEach((host, chain) -> {
            Set<Fingerprint> keys = new LinkedHashSet<>();
            for (X509Certificate c : chain) {
                if (CertificateFacts.isCa(c)) {
                    keys.add(Fingerprint.spkiOf(c));
                }
            }
            backupRoots.forEach(r -> keys.add(Fingerprint.spkiOf(r)));
            pins.put(HostNames.normalize(host).orElseThrow(() -> new IllegalArgumentException("not a host name: " + host)), keys);
        });
        return new PinSet(pins);
    }

    /** The pinned keys of {@code host}; empty when the host has no pins. */
    public Set<Fingerprint> pinsFor(String host) {
        return HostNames.normalize(host).map(h -> pins.getOrDefault(h, Set.of())).orElse(Set.of());
    }

    public int size() {
        return pins.size();
    }
}
