package org.mitmlab.detect;

import java.util.List;
import java.util.Locale;

/** The answer per host. */
public enum Verdict {
    /** Every detector that could run stayed silent. */
    GENUINE,
    /** At least one detector that is not a heuristic fired. */
    INTERCEPTED,
    /** Nothing was observed on the path under test, or only heuristics fired. */
    INCONCLUSIVE;

    /** The verdict for a host from its primary observation and its findings. */
    public static Verdict decide(TlsObservation primary, List<Finding> findings) {
        if (findings.stream().anyMatch(f -> !f.heuristic())) {
            return INTERCEPTED;
        }
        if (!primary.observed() || !findings.isEmpty()) {
            return INCONCLUSIVE;
        }
        return GENUINE;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
