package org.mitmlab.exercise;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.YamlDocument;
import org.mitmlab.scenario.YamlDocument.Node;

/**
 * A student's answer file as written, before anything is judged: the header fields and the node
 * of each answer (with its line, for messages). Parsing fails only when the file is not YAML or
 * not shaped like an answer file; blank or malformed answers are left for the check and the grader.
 *
 * @param source   the file name used in messages
 * @param exercise the exercise field, when present and not blank
 * @param student  the student field, as written
 * @param token    the token field, as written
 * @param answers  task id to answer node, in file order
 */
public record AnswerFile(String source, Optional<Node> exercise, Optional<Node> student, Optional<Node> token,
        Map<String, Node> answers) {
    static final Set<String> FIELDS = Set.of("exercise", "student", "token", "answers");

    public AnswerFile {
        answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** Reads and parses a file; every failure is one {@code file[:line]: problem; fix} line. */
    public static AnswerFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file + ": no such answer file; 'mitmlab up --student ID' writes answers-EXERCISE.yaml into the state directory");
        } catch (MalformedInputException e) {
            throw new ScenarioException(file + ": not UTF-8 text; save the answers as UTF-8 YAML");
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return parse(text, file.toString());
    }

    public static AnswerFile parse(String text, String source) {
        Node root = YamlDocument.parse(text, source).root();
        if (!root.isMapping()) {
            throw root.error("an answer file is a mapping with exercise:, student:, token: and answers:");
        }
        for (Map.Entry<String, Node> e : root.mapping().entrySet()) {
            if (!FIELDS.contains(e.getKey())) {
                boolean isTask = Exercises.all().stream().anyMatch(x -> x.task(e.getKey()).isPresent());
                throw e.getValue().error(isTask ? "an answer at the top level; indent it under 'answers:'"
                        : "unknown field; allowed here: answers, exercise, student, token");
            }
        }
        Map<String, Node> answers = new LinkedHashMap<>();
        Optional<Node> a = root.optional("answers");
        if (a.isPresent()) {
            if (!a.get().isMapping()) {
                throw a.get().error("expected the answers as 'task: answer' lines indented under 'answers:'");
            }
            answers.putAll(a.get().mapping());
        }
        return new AnswerFile(source, scalar(root, "exercise"), scalar(root, "student"), scalar(root, "token"), answers);
    }

    /** A header field: absent or blank is empty; a list or mapping is an error. */
    private static Optional<Node> scalar(Node root, String key) {
        Optional<Node> n = root.optional(key);
        if (n.isPresent() && !n.get().isScalar()) {
            throw n.get().error("expected a single value");
        }
        return n.filter(v -> !v.text().isBlank());
    }

    public Optional<String> exerciseId() {
        return exercise.map(n -> n.text().strip());
    }

    public Optional<String> studentId() {
        return student.map(n -> n.text().strip());
    }

    public Optional<String> tokenText() {
        return token.map(n -> n.text().strip());
    }

    /** True when at least one answer has something in it (the lab must not overwrite such a file). */
    public boolean hasAnswers() {
        return answers.values().stream().anyMatch(n -> !AnswerKind.isBlank(n));
    }
}
