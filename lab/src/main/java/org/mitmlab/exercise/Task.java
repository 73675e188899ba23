package org.mitmlab.exercise;

import java.util.Objects;
import java.util.Optional;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.YamlDocument.Node;

/**
 * One task of an exercise. {@link #mark} handles what every task shares (no answer, a malformed
 * answer, missing or foreign events) and leaves the judgement of a well-formed answer to the
 * task's {@link Marker}. All or nothing: a wrong answer loses exactly this task's marks.
 *
 * @param id          key under {@code answers:} ("intercepted")
 * @param max         marks available
 * @param kind        the answer it takes ({@link AnswerKind#NONE}: evidence only)
 * @param prompt      what to answer, for the template; never the answer itself
 * @param needsEvents whether marking reads the student's events file
 * @param marker      judges a well-formed answer
 */
public record Task(String id, int max, AnswerKind kind, String prompt, boolean needsEvents, Marker marker) {
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(marker, "marker");
        if (max < 1) {
            throw new IllegalArgumentException("a task is worth at least 1 mark");
        }
        if (kind == AnswerKind.NONE && !needsEvents) {
            throw new IllegalArgumentException(id + ": a task without an answer must be marked from events");
        }
    }

    /** Judges a well-formed answer against the student's variant. */
    @FunctionalInterface
    public interface Marker {
        /**
         * @param variant the student's resolved scenario
         * @param answer  the answer, well-formed for the task's kind
         * @param events  the student's events when the task needs them (then always present and the student's own)
         */
        Judgement judge(ResolvedScenario variant, Answer answer, Optional<StudentEvents> events);
    }

    /** Right or wrong, and why (for the instructor). */
    public record Judgement(boolean correct, String reason) {
        public static Judgement right() {
            return new Judgement(true, "correct");
        }

        public static Judgement wrong(String reason) {
            return new Judgement(false, reason);
        }

        /** Right when {@code ok}, else wrong with {@code reason}. */
        public static Judgement of(boolean ok, String reason) {
            return ok ? right() : wrong(reason);
        }
    }

    /**
     * Marks one answer.
     *
     * @param answer   the node under {@code answers.ID}, or null when the file has none
     * @param evidence what is known about the student's events
     */
    public TaskMark mark(ResolvedScenario variant, Node answer, Evidence evidence) {
        if (kind.takesAnswer()) {
            if (AnswerKind.isBlank(answer)) {
                return TaskMark.zero(id, max, "not answered");
            }
            Optional<String> problem = kind.problem(answer);
            if (problem.isPresent()) {
                return TaskMark.zero(id, max, "malformed: " + problem.get());
            }
        }
        Optional<StudentEvents> events = Optional.empty();
        String note = "";
        if (needsEvents) {
            Optional<String> unusable = evidence.problemFor(variant);
            if (unusable.isPresent()) {
                return TaskMark.zero(id, max, unusable.get());
            }
            events = evidence.events().map(e -> e.forLab(variant.name(), variant.student().student()));
            note = events.map(StudentEvents::skippedNote).orElse("");
        }
        Judgement j = marker.judge(variant, new Answer(kind, kind.takesAnswer() ? answer : null), events);
        return new TaskMark(id, j.correct() ? max : 0, max, j.reason() + note);
    }
}
