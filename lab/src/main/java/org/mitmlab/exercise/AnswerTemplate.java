package org.mitmlab.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.StudentKey;

/**
 * The answer file the lab writes for a student: header, token, one empty entry per task that takes
 * an answer, and comments saying what each answer is and how to write it (never the answer).
 */
public final class AnswerTemplate {
    private AnswerTemplate() {
    }

    /**
     * What {@link #write} did.
     *
     * @param file    the answer file
     * @param written false when an existing file was kept because it has answers (or does not parse)
     */
    public record Outcome(Path file, boolean written) {
    }

    public static String fileName(Exercise exercise) {
        return "answers-" + exercise.id() + ".yaml";
    }

    /**
     * Writes {@code dir/answers-EXERCISE.yaml} unless a file there already has answers in it: the
     * lab calls this on every start, and a restart must never wipe a student's work. A file that no
     * longer parses is kept too (it is the student's, half-edited).
     */
    public static Outcome write(Path dir, Exercise exercise, StudentKey student) {
        Path file = dir.resolve(fileName(exercise));
        if (Files.exists(file) && !replaceable(file)) {
            return new Outcome(file, false);
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".answers-", ".tmp");
            Files.writeString(tmp, text(exercise, student), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Outcome(file, true);
    }

    private static boolean replaceable(Path file) {
        try {
            return !AnswerFile.read(file).hasAnswers();
        } catch (ScenarioException e) {
            return false;
        }
    }

    /** The template's text. */
    public static String text(Exercise exercise, StudentKey student) {
        String name = fileName(exercise);
        StringBuilder b = new StringBuilder();
        b.append("# Answers for '").append(exercise.id()).append("': ").append(exercise.title()).append('\n');
        b.append("# Handout: 'mitmlab handout ").append(exercise.id()).append("' (")
                .append(exercise.handout().toString().replace('\\', '/')).append(" in the mitmlab repository)\n");
        b.append("# Written by 'mitmlab up --scenario ").append(exercise.scenario()).append(" --student ")
                .append(student.student()).append("'.\n");
        b.append("# Write each answer after its colon, run 'mitmlab check ").append(exercise.id()).append(" --answers ")
                .append(name).append("',\n# then hand in this file (and events.jsonl if your instructor asks for it).\n");
        b.append("exercise: ").append(exercise.id()).append('\n');
        b.append("student: \"").append(student.student()).append("\"\n");
        b.append("token: \"").append(student.answerToken(exercise.id())).append("\"   # proves this file was made for you; do not edit\n");
        b.append("answers:\n");
        for (Task t : exercise.tasks()) {
            String marks = t.max() + (t.max() == 1 ? " mark" : " marks");
            if (!t.kind().takesAnswer()) {
                b.append("  # ").append(t.id()).append(" (").append(marks).append("): ").append(t.prompt()).append('\n');
                continue;
            }
            b.append("  # ").append(t.prompt()).append(" (").append(marks).append(")\n");
            b.append("  # ").append(t.kind().format()).append('\n');
            b.append("  ").append(t.id()).append(":\n");
        }
        return b.toString();
    }
}
