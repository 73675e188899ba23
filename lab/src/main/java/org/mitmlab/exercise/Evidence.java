package org.mitmlab.exercise;

import java.util.Objects;
import java.util.Optional;
import org.mitmlab.scenario.ResolvedScenario;

/**
 * What the grader knows about a student's events: not asked for, asked for but absent, or a file.
 *
 * @param events  the file's events, when there is one
 * @param missing why there is none (events is then empty)
 */
public record Evidence(Optional<StudentEvents> events, String missing) {
    public static final String NOT_GIVEN = "needs the student's events (--events)";

    public Evidence {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(missing, "missing");
    }

    /** No events directory was given. */
    public static Evidence notGiven() {
        return new Evidence(Optional.empty(), NOT_GIVEN);
    }

    /** An events directory was given but has nothing for this student. */
    public static Evidence missing(String why) {
        return new Evidence(Optional.empty(), why);
    }

    public static Evidence of(StudentEvents events) {
        return new Evidence(Optional.of(events), "");
    }

    /** Why these events cannot be used for this student's variant, if they cannot. */
    public Optional<String> problemFor(ResolvedScenario variant) {
        if (events.isEmpty()) {
            return Optional.of(missing);
        }
        return events.get().ownershipProblem(variant.name(), variant.student().student());
    }
}
