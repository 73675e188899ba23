package org.mitmlab.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one detector found about one host.
 *
 * @param detector  the detector's name ("untrusted-issuer")
 * @param severity  how much it says on its own
 * @param evidence  the fields or fingerprints compared, in the order a student should read them
 * @param meaning   one sentence: what this means
 * @param heuristic true for hints that are not proof (the forgery tells)
 */
public record Finding(String detector, Severity severity, Map<String, String> evidence, String meaning, boolean heuristic) {
    public Finding {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(severity, "severity");
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        Objects.requireNonNull(meaning, "meaning");
        if (heuristic && severity != Severity.LOW) {
            throw new IllegalArgumentException("a heuristic finding is LOW: " + detector);
        }
    }
}
