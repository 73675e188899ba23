package org.mitmlab.detect;

import java.util.Objects;

/**
 * What detectors compare observations with, besides other observations: the list of known
 * interception roots and the per-site pins.
 */
public record ReferenceData(KnownRoots knownRoots, PinSet pins) {
    public ReferenceData {
        Objects.requireNonNull(knownRoots, "knownRoots");
        Objects.requireNonNull(pins, "pins");
    }

    /** The shipped list of known roots and no pins. */
    public static ReferenceData shipped() {
        return new ReferenceData(KnownRoots.shipped(), PinSet.none());
    }
}
