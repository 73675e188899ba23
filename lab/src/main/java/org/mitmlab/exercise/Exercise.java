package org.mitmlab.exercise;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One exercise: the scenario it runs on, its handout, and its tasks in the order students answer
 * them. Implementations are stateless; {@link Exercises} lists them.
 */
public interface Exercise {
    /** Short id, used in answer files and on the command line ("hunt"). */
    String id();

    /** One line for listings and the answer file's header. */
    String title();

    /** The built-in scenario the exercise runs on ("kz-2019"). */
    String scenario();

    /** Tasks in handout order. */
    List<Task> tasks();

    /** The student's handout, relative to the repository root. */
    default Path handout() {
        return Path.of("docs", "exercises", id() + ".md");
    }

    /**
     * The same handout as packed into the jar (Markdown), so a student with only the jar can read it:
     * {@code mitmlab handout ID}.
     */
    default String handoutText() {
        return Readings.packedText("handouts/" + id() + ".md");
    }

    default Optional<Task> task(String id) {
        return tasks().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    default int maxMarks() {
        return tasks().stream().mapToInt(Task::max).sum();
    }
}
