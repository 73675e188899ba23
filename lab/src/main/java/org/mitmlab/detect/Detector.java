package org.mitmlab.detect;

/**
 * A pure function from what was observed about one host (and reference data such as known roots
 * and pins) to an {@link Outcome}. No I/O, no clock, no state: the same observations always give the
 * same outcome, so every detector is table-tested. Register new ones in {@link Detectors#all()};
 * docs/writing-a-detector.md walks through one.
 */
public interface Detector {
    /** Short kebab-case name, shown in reports and used as the JSON key ("untrusted-issuer"). */
    String name();

    /** True for hints that are not proof; their findings are {@link Severity#LOW} and never decide a verdict alone. */
    boolean heuristic();

    /** One line: what the detector compares (for help and docs). */
    String checks();

    Outcome inspect(HostObservations host, ReferenceData reference);
}
