package org.mitmlab.exercise;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The marks of one answer file.
 *
 * @param file     the answer file
 * @param student  normalised student id, or "(FILE NAME)" when the file names no usable one
 * @param exercise exercise id, or "?" when the file names no known one
 * @param marks    one row per task in exercise order (one row "-" when the exercise is unknown)
 */
public record GradedFile(Path file, String student, String exercise, List<TaskMark> marks) {
    public GradedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(exercise, "exercise");
        marks = List.copyOf(marks);
    }

    public int total() {
        return marks.stream().mapToInt(TaskMark::marks).sum();
    }

    public int max() {
        return marks.stream().mapToInt(TaskMark::max).sum();
    }

    /** Every task of the exercise at zero, for one reason that spoils the whole file. */
    static GradedFile zero(Path file, String student, Exercise exercise, String reason) {
        return new GradedFile(file, student, exercise.id(),
                exercise.tasks().stream().map(t -> TaskMark.zero(t.id(), t.max(), reason)).toList());
    }

    /** A single zero row, for a file whose exercise is unknown. */
    static GradedFile unreadable(Path file, String student, String exercise, String reason) {
        return new GradedFile(file, student, exercise, List.of(TaskMark.zero("-", 0, reason)));
    }
}
