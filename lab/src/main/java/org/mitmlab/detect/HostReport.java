package org.mitmlab.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result for one host: the verdict, the findings behind it, and which detectors stayed silent
 * or could not run (and why), so a student sees what was and was not checked.
 *
 * @param host      the name asked about
 * @param verdict   genuine, intercepted or inconclusive
 * @param primary   the handshake on the path under test
 * @param findings  what fired, strongest first
 * @param silent    detectors that ran and found nothing
 * @param skipped   detectors that could not run, with the reason
 */
public record HostReport(String host, Verdict verdict, TlsObservation primary, List<Finding> findings,
        List<String> silent, Map<String, String> skipped) {
    public HostReport {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(primary, "primary");
        findings = List.copyOf(findings);
        silent = List.copyOf(silent);
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    /** The finding of {@code detector}, if it fired. */
    public java.util.Optional<Finding> finding(String detector) {
        return findings.stream().filter(f -> f.detector().equals(detector)).findFirst();
    }
}
