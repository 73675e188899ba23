package org.mitmlab.exercise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;

/**
 * Marks answer files. For each file: parse it, re-derive the student's key from the secret, check
 * the token, resolve the student's variant of the exercise's scenario, and mark every task (with the
 * student's events when a task needs them). A bad file gets zero marks and a one-line reason, never
 * an exception, so one broken file cannot stop a class's grading.
 */
public final class Grader {
    private final byte[] secret;
    private final ScenarioLoader loader;
    private final Optional<Path> eventsDir;
    private final Map<String, Scenario> scenarios = new HashMap<>();

    /**
     * @param secret    the instructor's secret (at least {@link StudentKey#MIN_SECRET_BYTES} bytes)
     * @param loader    where exercises' scenarios come from
     * @param eventsDir holding STUDENT/events.jsonl or STUDENT.jsonl, when evidence is to be marked
     * @throws ScenarioException when the secret is too short
     */
    public Grader(byte[] secret, ScenarioLoader loader, Optional<Path> eventsDir) {
        StudentKey.derive(secret, "secret-check"); // refuses a short secret before any file is read
        this.secret = secret.clone();
        this.loader = loader;
        this.eventsDir = eventsDir;
    }

    /** A file after its header was checked: ready to mark, or already failed. */
    private sealed interface Prepared {
    }

    /** A file whose header checked out: its exercise, student and answers. */
    private record Ready(Path file, Exercise exercise, StudentKey key, AnswerFile answers) implements Prepared {
    }

    /** A file that gets zero marks whatever its answers. */
    private record Failed(GradedFile graded) implements Prepared {
    }

    /** Grades the files; the result is sorted by student, exercise and file. */
    public List<GradedFile> grade(List<Path> files) {
        List<GradedFile> out = new ArrayList<>();
        Map<String, List<Ready>> byStudent = new LinkedHashMap<>();
        for (Path f : files) {
            Prepared p = prepare(f);
            if (p instanceof Failed failed) {
                out.add(failed.graded());
            } else if (p instanceof Ready ready) {
                byStudent.computeIfAbsent(ready.key().student() + "\n" + ready.exercise().id(), k -> new ArrayList<>()).add(ready);
            }
        }
        for (List<Ready> same : byStudent.values()) {
            if (same.size() > 1) {
                String names = String.join(", ", same.stream().map(r -> r.file().getFileName().toString()).toList());
                String reason = same.size() + " answer files for " + same.get(0).key().student() + " on " + same.get(0).exercise().id()
                        + " (" + names + "): keep the one to be graded";
                same.forEach(r -> out.add(GradedFile.zero(r.file(), r.key().student(), r.exercise(), reason)));
            } else {
                out.add(mark(same.get(0)));
            }
        }
        out.sort(Comparator.comparing(GradedFile::student).thenComparing(GradedFile::exercise).thenComparing(g -> g.file().toString()));
        return out;
    }

    /** A {@link Ready} file, or the zeros that say why it is not. */
    private Prepared prepare(Path file) {
        String unnamed = "(" + file.getFileName() + ")";
        AnswerFile answers;
        try {
            answers = AnswerFile.read(file);
        } catch (ScenarioException e) {
            return new Failed(GradedFile.unreadable(file, unnamed, "?", e.getMessage()));
        }
        Optional<String> exerciseId = answers.exerciseId();
        if (exerciseId.isEmpty()) {
            return new Failed(GradedFile.unreadable(file, student(answers).orElse(unnamed), "?", file + ": no 'exercise:' field"));
        }
        Optional<Exercise> exercise = Exercises.byId(exerciseId.get());
        if (exercise.isEmpty()) {
            return new Failed(GradedFile.unreadable(file, student(answers).orElse(unnamed), exerciseId.get(),
                    answers.exercise().get().error(Exercises.unknown(exerciseId.get())).getMessage()));
        }
        Exercise ex = exercise.get();
        if (answers.student().isEmpty()) {
            return new Failed(GradedFile.zero(file, unnamed, ex, file + ": no 'student:' field, so the file cannot be matched to a student"));
        }
        StudentKey key;
        try {
            key = StudentKey.derive(secret, answers.studentId().get());
        } catch (ScenarioException e) {
            return new Failed(GradedFile.zero(file, unnamed, ex, answers.student().get().error(e.getMessage()).getMessage()));
        }
        if (!key.tokenMatches(ex.id(), answers.tokenText().orElse(null))) {
            String why = answers.token().isEmpty() ? "the file has no token" : "token does not match " + key.student();
            return new Failed(GradedFile.zero(file, key.student(), ex, why + ": the file was edited or made for another student"));
        }
        return new Ready(file, ex, key, answers);
    }

    private static Optional<String> student(AnswerFile answers) {
        try {
            return answers.studentId().map(StudentKey::normaliseId);
        } catch (ScenarioException e) {
            return Optional.empty();
        }
    }

    private GradedFile mark(Ready r) {
        ResolvedScenario variant;
        try {
            variant = scenarios.computeIfAbsent(r.exercise().scenario(), loader::load).resolve(r.key());
        } catch (ScenarioException e) {
            return GradedFile.zero(r.file(), r.key().student(), r.exercise(), "cannot load the exercise's scenario: " + e.getMessage());
        }
        boolean needsEvents = r.exercise().tasks().stream().anyMatch(Task::needsEvents);
        Evidence evidence = needsEvents ? evidence(r.key().student()) : Evidence.notGiven();
        List<TaskMark> marks = new ArrayList<>();
        for (Task t : r.exercise().tasks()) {
            marks.add(t.mark(variant, r.answers().answers().get(t.id()), evidence));
        }
        return new GradedFile(r.file(), r.key().student(), r.exercise().id(), marks);
    }

    private Evidence evidence(String student) {
        if (eventsDir.isEmpty()) {
            return Evidence.notGiven();
        }
        Path dir = eventsDir.get();
        List<Path> files = new java.util.ArrayList<>();
        Path own = dir.resolve(student);
        if (Files.isDirectory(own)) {
            // every events file the student handed in: the embedded lab's, or the Docker box's and vantage's
            try (java.util.stream.Stream<Path> list = Files.list(own)) {
                list.filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p)).sorted().forEach(files::add);
            } catch (java.io.IOException e) {
                return Evidence.missing("cannot list " + own + ": " + e.getMessage());
            }
        }
        if (files.isEmpty() && Files.isRegularFile(dir.resolve(student + ".jsonl"))) {
            files.add(dir.resolve(student + ".jsonl"));
        }
        if (files.isEmpty()) {
            return Evidence.missing("no events for " + student + " in " + dir + " (expected " + student + "/events.jsonl or "
                    + student + ".jsonl there)");
        }
        try {
            return Evidence.of(StudentEvents.read(files));
        } catch (ScenarioException e) {
            return Evidence.missing(e.getMessage());
        }
    }
}
