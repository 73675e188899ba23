package org.mitmlab.detect;

import java.util.Objects;

/** What one detector made of one host: it fired, it stayed silent, or it had nothing to work with. */
public sealed interface Outcome permits Outcome.Fired, Outcome.Silent, Outcome.Skipped {

    static Outcome fired(Finding finding) {
        return new Fired(finding);
    }

    static Outcome silent() {
        return Silent.INSTANCE;
    }

    static Outcome skipped(String reason) {
        return new Skipped(reason);
    }

    /** The detector found something. */
    record Fired(Finding finding) implements Outcome {
        public Fired {
            Objects.requireNonNull(finding, "finding");
        }
    }

    /** The detector compared what it needed and found nothing. */
    record Silent() implements Outcome {
        static final Silent INSTANCE = new Silent();
    }

    /** The detector could not run (no vantage, no CT answer, no pin for the host); the reason says which. */
    record Skipped(String reason) implements Outcome {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
