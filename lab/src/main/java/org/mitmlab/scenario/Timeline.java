package org.mitmlab.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scenario's compressed history: phases that switch interception on and off, each starting on a
 * scenario day (0 = the first), played with one day lasting {@link #day}. When the timeline is not
 * played the lab holds the {@link #steady} phase.
 *
 * @param day    how long one scenario day lasts when played
 * @param steady the phase the lab holds when the timeline is not played
 * @param phases in order of start day; the first starts on day 0
 */
public record Timeline(Duration day, String steady, List<Phase> phases) {
    /** Shortest and longest scenario day: faster is unreadable, slower than real time pointless. */
    public static final Duration MIN_DAY = Duration.ofMillis(100);
    public static final Duration MAX_DAY = Duration.ofHours(24);

    public Timeline {
        Objects.requireNonNull(day, "day");
        if (day.compareTo(MIN_DAY) < 0 || day.compareTo(MAX_DAY) > 0) {
            throw new IllegalArgumentException("one scenario day must last between 100ms and 24h, not " + day);
        }
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("a timeline needs at least one phase");
        }
        if (phases.stream().noneMatch(p -> p.name().equals(steady))) {
            throw new IllegalArgumentException("steady phase " + steady + " is not one of the phases");
        }
    }

    /** A timeline of one phase, for scenarios without a history. */
    public static Timeline constant(boolean intercept) {
        Phase only = new Phase(intercept ? "active" : "quiet", 0, null, intercept, "");
        return new Timeline(Duration.ofDays(1), only.name(), List.of(only));
    }

    /** The same phases played at another speed (one scenario day lasts {@code newDay}). */
    public Timeline withDay(Duration newDay) {
        return new Timeline(newDay, steady, phases);
    }

    public Optional<Phase> phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The phase in force {@code elapsed} after the timeline started playing. */
    public Phase phaseAt(Duration elapsed) {
        Phase current = phases.get(0);
        for (Phase p : phases) {
            if (!elapsed.minus(startOf(p)).isNegative()) {
                current = p;
            }
        }
        return current;
    }

    /** When a phase starts, counted from the start of play. */
    public Duration startOf(Phase p) {
        return Duration.ofMillis(Math.round(p.day() * day.toMillis()));
    }

    /** True when there is something to play (more than one phase). */
    public boolean hasHistory() {
        return phases.size() > 1;
    }

    /**
     * One stretch of the scenario's history.
     *
     * @param name      short id ("pilot", "pause", "ended")
     * @param day       scenario day it starts on (may be fractional: 0.5 is noon of day 0)
     * @param date      the real date it stands for, for display ("2019-07-17"); may be null
     * @param intercept whether the box intercepts targeted names during it
     * @param note      one sentence shown when the phase starts
     * @param forgery   how the box forges during this phase, when it differs from the scenario's
     *                  (2019: 1024-bit leaf keys until 19 July)
     */
    public record Phase(String name, double day, String date, boolean intercept, String note,
            Optional<org.mitmlab.pki.ForgeryProfile> forgery) {
        public Phase {
            Objects.requireNonNull(name, "name");
            note = note == null ? "" : note;
            Objects.requireNonNull(forgery, "forgery");
        }

        public Phase(String name, double day, String date, boolean intercept, String note) {
            this(name, day, date, intercept, note, Optional.empty());
        }
    }
}
