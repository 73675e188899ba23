package org.mitmlab.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.lab.docker.DockerTopology;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;

/**
 * Synthetic answer and events files for exercise and CLI tests. Expected values are recomputed the
 * way the grader does, from the scenario loader and the student's key.
 */
public final class ExerciseFixtures {
    public static final byte[] SECRET = "test secret: 0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    public static final String ALICE = "alice@uni.example";
    public static final String BOB = "bob@uni.example";
    /** The national root SPKI the synthetic labs report. */
    public static final String SPKI = "3fa2".repeat(16);

    private ExerciseFixtures() {
    }

    public static StudentKey key(String student) {
        return StudentKey.derive(SECRET, student);
    }

    public static ResolvedScenario variant(Exercise exercise, String student) {
        return new ScenarioLoader().load(exercise.scenario()).resolve(key(student));
    }

    public static Exercise exercise(String id) {
        return Exercises.byId(id).orElseThrow();
    }

    /** YAML values (as written in the file) that answer every task of the student's variant correctly. */
    public static Map<String, String> correct(Exercise exercise, String student) {
        ResolvedScenario v = variant(exercise, student);
        Map<String, String> a = new LinkedHashMap<>();
        switch (exercise.id()) {
            case "first-contact" -> {
                ResolvedScenario.Victim w = v.victim().orElseThrow();
                a.put("victim-site", w.site());
                a.put("victim-username", w.username());
                a.put("victim-password", "\"" + w.password() + "\"");
                a.put("forged-issuer", "Security Certificate");
                a.put("forged-exponent", "3");
            }
            case "hunt" -> {
                a.put("intercepted", "[" + String.join(", ", v.targets()) + "]");
                a.put("decoys", "[" + String.join(", ", HuntExercise.decoys(v.targets())) + "]");
                a.put("root-spki", SPKI);
            }
            case "locate" -> {
                a.put("hop", String.valueOf(DockerTopology.hopOf(v.boxRouter())));
                a.put("router", v.boxRouter());
                a.put("address", DockerTopology.ADDRESSES.get(v.boxRouter()).values().iterator().next());
            }
            default -> throw new IllegalArgumentException(exercise.id());
        }
        return a;
    }

    /** A well-formed but wrong answer to one task of the student's variant. */
    public static String wrong(Exercise exercise, String student, String task) {
        ResolvedScenario v = variant(exercise, student);
        return switch (task) {
            case "victim-site" -> "halykbank.kz";
            case "victim-username" -> "nobody.00";
            case "victim-password" -> "wrong-0000";
            case "forged-issuer" -> "Qaznet Trust Network";
            case "forged-exponent" -> "65537";
            case "intercepted" -> "[" + String.join(", ", v.targets().subList(1, v.targets().size())) + "]";
            case "decoys" -> "[]";
            case "root-spki" -> "0".repeat(64);
            case "hop" -> "9";
            case "router" -> v.boxRouter().equals("isp") ? "ix" : "isp";
            case "address" -> "172.30.1.10";
            default -> throw new IllegalArgumentException(task);
        };
    }

    /** An answer file's text. */
    public static String yaml(String exercise, String student, String token, Map<String, String> answers) {
        StringBuilder b = new StringBuilder("# synthetic answers\nexercise: " + exercise + "\n");
        if (student != null) {
            b.append("student: ").append(student).append('\n');
        }
        if (token != null) {
            b.append("token: \"").append(token).append("\"\n");
        }
        b.append("answers:\n");
        answers.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }

    /** A correctly made answer file: the student's own token. */
    public static String yaml(Exercise exercise, String student, Map<String, String> answers) {
        return yaml(exercise.id(), student, key(student).answerToken(exercise.id()), answers);
    }

    /** The events of a lab run by {@code student} on {@code scenario}, which compared {@code compared} from the vantage point. */
    public static List<FlowEvent> events(String scenario, String student, List<String> compared) {
        List<FlowEvent> out = new ArrayList<>();
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        out.add(new LabStarted(LabStarted.FLOW, t, scenario, student, "embedded", SPKI, false));
        int i = 0;
        for (String host : compared) {
            out.add(new VantageQueried("v" + i++, t.plusSeconds(i), host, "ok"));
        }
        return out;
    }

    public static Path writeEvents(Path file, List<FlowEvent> events, String... extraLines) {
        EventJson json = new EventJson();
        StringBuilder b = new StringBuilder();
        events.forEach(e -> b.append(json.toJson(e)).append('\n'));
        for (String l : extraLines) {
            b.append(l).append('\n');
        }
        return write(file, b.toString());
    }

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
