package org.mitmlab.exercise;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.StudentKey;
import org.mitmlab.scenario.YamlDocument.Node;

/**
 * {@code mitmlab check}: is an answer file ready to hand in? Checks shape only (syntax, header,
 * every task answered with the right kind of value) and needs no secret, so it cannot, and must
 * not, say whether an answer is right.
 */
public final class AnswerCheck {
    private AnswerCheck() {
    }

    /** How one field or task looks. */
    public enum Status {
        OK, MISSING, MALFORMED, UNKNOWN, NOTE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean blocks() {
            return this == MISSING || this == MALFORMED || this == UNKNOWN;
        }
    }

    /** One line of the report: a field or task, its status, and what to do. */
    public record Line(Status status, String field, String message) {
    }

    /** The whole report; complete when nothing blocks grading. */
    public record Report(String file, List<Line> lines) {
        public Report {
            lines = List.copyOf(lines);
        }

        public boolean complete() {
            return lines.stream().noneMatch(l -> l.status().blocks());
        }

        public long count(Status s) {
            return lines.stream().filter(l -> l.status() == s).count();
        }
    }

    public static Report check(Exercise exercise, Path file) {
        AnswerFile answers;
        try {
            answers = AnswerFile.read(file);
        } catch (ScenarioException e) {
            return new Report(file.toString(), List.of(new Line(Status.MALFORMED, "file", e.getMessage())));
        }
        return check(exercise, answers);
    }

    public static Report check(Exercise exercise, AnswerFile answers) {
        List<Line> lines = new ArrayList<>();
        lines.add(header(exercise, answers));
        lines.add(student(answers));
        lines.add(token(answers));
        for (Task t : exercise.tasks()) {
            lines.add(task(t, answers.answers().get(t.id())));
        }
        for (Map.Entry<String, Node> e : answers.answers().entrySet()) {
            if (exercise.task(e.getKey()).isEmpty()) {
                lines.add(new Line(Status.UNKNOWN, e.getKey(), e.getValue().error("not a task of " + exercise.id() + "; its tasks are "
                        + String.join(", ", exercise.tasks().stream().map(Task::id).toList())).getMessage()));
            }
        }
        return new Report(answers.source(), lines);
    }

    private static Line header(Exercise exercise, AnswerFile answers) {
        Optional<String> id = answers.exerciseId();
        if (id.isEmpty()) {
            return new Line(Status.MISSING, "exercise", "add 'exercise: " + exercise.id() + "' at the top");
        }
        if (!id.get().equals(exercise.id())) {
            return new Line(Status.MALFORMED, "exercise", answers.exercise().get().error("the file is for '" + id.get() + "', not '"
                    + exercise.id() + "': check that exercise, or use your answers-" + exercise.id() + ".yaml").getMessage());
        }
        return new Line(Status.OK, "exercise", exercise.id());
    }

    private static Line student(AnswerFile answers) {
        if (answers.student().isEmpty()) {
            return new Line(Status.MISSING, "student", "add 'student: YOUR-ID', the id you gave 'mitmlab up --student'");
        }
        try {
            return new Line(Status.OK, "student", StudentKey.normaliseId(answers.studentId().get()));
        } catch (ScenarioException e) {
            return new Line(Status.MALFORMED, "student", answers.student().get().error(e.getMessage()).getMessage());
        }
    }

    private static Line token(AnswerFile answers) {
        String restore = "; restore the line the lab wrote (move this file aside, restart the lab with the same --student "
                + "and copy the token over)";
        if (answers.token().isEmpty()) {
            return new Line(Status.MISSING, "token", "the token line is gone" + restore);
        }
        if (!answers.tokenText().get().matches("[0-9a-fA-F]{16}")) {
            return new Line(Status.MALFORMED, "token", answers.token().get().error("is not 16 hex digits" + restore).getMessage());
        }
        return new Line(Status.OK, "token", "present (the grader checks it)");
    }

    private static Line task(Task t, Node answer) {
        if (!t.kind().takesAnswer()) {
            return new Line(Status.NOTE, t.id(), t.prompt());
        }
        if (AnswerKind.isBlank(answer)) {
            return new Line(Status.MISSING, t.id(), "write " + t.kind().format() + ": " + t.prompt());
        }
        Optional<String> problem = t.kind().problem(answer);
        if (problem.isPresent()) {
            return new Line(Status.MALFORMED, t.id(), problem.get());
        }
        String what = t.kind() == AnswerKind.NAMES ? plural(AnswerKind.names(answer).size(), "name") : "answered";
        return new Line(Status.OK, t.id(), what);
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
