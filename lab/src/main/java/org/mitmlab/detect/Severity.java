package org.mitmlab.detect;

import java.util.Locale;

/** How much one finding says on its own. */
public enum Severity {
    /** Shows interception by itself (a chain no public root accepts, a key browsers block). */
    HIGH,
    /** Shows interception unless one of the benign causes listed in docs/detectors.md applies. */
    MEDIUM,
    /** A hint: what forgers tend to do and public CAs tend not to (the heuristic forgery tells). */
    LOW;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
