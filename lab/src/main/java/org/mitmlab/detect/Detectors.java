package org.mitmlab.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of detectors and the one place that runs them on a host.
 *
 * <pre>
 *  HostObservations ──▶ every Detector.inspect ──▶ Outcome (fired / silent / skipped) ──▶ HostReport + Verdict
 *  (primary, SNI variants,          ▲
 *   vantage, CT lookup)        ReferenceData (known roots, pins)
 * </pre>
 */
public final class Detectors {
    private Detectors() {
    }

    /** (1) The chain does not validate against the public trust store. */
    public static Detector untrustedIssuer() {
        return new UntrustedIssuerDetector();
    }

    /** (2) The leaf key or issuer differs from what the vantage point sees. */
    public static Detector vantageMismatch() {
        return new VantageComparisonDetector();
    }

    /** (3) The issuer changes with the SNI on the same address. */
    public static Detector sniDifferential() {
        return new SniDifferentialDetector();
    }

    /** (4) A CA key of the chain is a known interception key. */
    public static Detector knownInterceptionRoot() {
        return new KnownInterceptionRootDetector();
    }

    /** (5) The leaf of a public name is in no Certificate Transparency log. */
    public static Detector notInCtLog() {
        return new CertificateTransparencyDetector();
    }

    /** (6) No key of the chain matches the site's pins. */
    public static Detector pinMismatch() {
        return new PinMismatchDetector();
    }

    /** (7) The heuristic forgery tells, one detector each. */
    public static List<Detector> forgeryTells() {
        return ForgeryTells.all();
    }

    /** Every detector, in report order: the proofs first, then the hints. */
    public static List<Detector> all() {
        List<Detector> all = new ArrayList<>(List.of(untrustedIssuer(), vantageMismatch(), sniDifferential(),
                knownInterceptionRoot(), notInCtLog(), pinMismatch()));
        all.addAll(forgeryTells());
        return List.copyOf(all);
    }

    /** Runs {@code detectors} on one host. When nothing was observed, every detector is skipped. */
    public static HostReport run(List<Detector> detectors, HostObservations host, ReferenceData reference) {
        List<Finding> findings = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Detector d : detectors) {
            if (!host.primary().observed()) {
                skipped.put(d.name(), "nothing was observed on the path under test: " + host.primary().failure());
                continue;
            }
            Outcome outcome = d.inspect(host, reference);
            if (outcome instanceof Outcome.Fired fired) {
                findings.add(fired.finding());
            } else if (outcome instanceof Outcome.Skipped s) {
                skipped.put(d.name(), s.reason());
            } else {
                silent.add(d.name());
            }
        }
        findings.sort(Comparator.comparing(Finding::heuristic).thenComparing(Finding::severity));
        return new HostReport(host.host(), Verdict.decide(host.primary(), findings), host.primary(), findings, silent, skipped);
    }

    /** Runs every detector on one host. */
    public static HostReport run(HostObservations host, ReferenceData reference) {
        return run(all(), host, reference);
    }
}
