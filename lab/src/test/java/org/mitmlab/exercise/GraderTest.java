package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mitmlab.exercise.ExerciseFixtures.ALICE;
import static org.mitmlab.exercise.ExerciseFixtures.BOB;
import static org.mitmlab.exercise.ExerciseFixtures.SECRET;
import static org.mitmlab.exercise.ExerciseFixtures.correct;
import static org.mitmlab.exercise.ExerciseFixtures.exercise;
import static org.mitmlab.exercise.ExerciseFixtures.variant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.ScenarioLoader;

/** Whole answer files through the grader: tokens, copies, broken files, duplicates, events lookup, outputs. */
class GraderTest {
    @TempDir
    Path dir;

    private Grader grader(Optional<Path> events) {
        return new Grader(SECRET, new ScenarioLoader(), events);
    }

    private Path answers(String name, String text) {
        return ExerciseFixtures.write(dir.resolve("answers").resolve(name), text);
    }

    private static GradedFile only(List<GradedFile> graded) {
        assertThat(graded).hasSize(1);
        return graded.get(0);
    }

    @Test
    void aCorrectFileWithEventsGetsFullMarks() {
        Exercise hunt = exercise("hunt");
        Path f = answers("alice.yaml", ExerciseFixtures.yaml(hunt, ALICE, correct(hunt, ALICE)));
        ExerciseFixtures.writeEvents(dir.resolve("events").resolve(ALICE).resolve("events.jsonl"),
                ExerciseFixtures.events("hunt", ALICE, variant(hunt, ALICE).targets()));
        GradedFile g = only(grader(Optional.of(dir.resolve("events"))).grade(List.of(f)));
        assertThat(g.student()).isEqualTo(ALICE);
        assertThat(g.total()).as("%s", g.marks()).isEqualTo(12);
        assertThat(g.max()).isEqualTo(12);
    }

    @Test
    void eventsAreFoundAsStudentDotJsonlAndTheirAbsenceIsExplained() {
        Exercise hunt = exercise("hunt");
        Path f = answers("alice.yaml", ExerciseFixtures.yaml(hunt, ALICE, correct(hunt, ALICE)));
        Path events = dir.resolve("events");
        assertThat(only(grader(Optional.of(events)).grade(List.of(f))).marks().get(2).reason())
                .isEqualTo("no events for " + ALICE + " in " + events + " (expected " + ALICE + "/events.jsonl or " + ALICE + ".jsonl there)");
        ExerciseFixtures.writeEvents(events.resolve(ALICE + ".jsonl"), ExerciseFixtures.events("hunt", ALICE, variant(hunt, ALICE).targets()));
        assertThat(only(grader(Optional.of(events)).grade(List.of(f))).total()).isEqualTo(12);
    }

    @Test
    void onlyTheStudentsRunsOfTheExercisesScenarioCountInAnEventsFileThatKeepsEveryRun() {
        Exercise hunt = exercise("hunt");
        Path f = answers("alice.yaml", ExerciseFixtures.yaml(hunt, ALICE, correct(hunt, ALICE)));
        List<String> targets = variant(hunt, ALICE).targets();
        // the lab appends: first a kz-2019 run that compared everything, then the hunt run that compared one name too few
        List<org.mitmlab.event.FlowEvent> file = new java.util.ArrayList<>(ExerciseFixtures.events("kz-2019", ALICE, targets));
        file.addAll(ExerciseFixtures.events("hunt", ALICE, targets.subList(1, targets.size())));
        ExerciseFixtures.writeEvents(dir.resolve("events").resolve(ALICE).resolve("events.jsonl"), file);
        GradedFile g = only(grader(Optional.of(dir.resolve("events"))).grade(List.of(f)));
        assertThat(g.marks()).filteredOn(m -> m.task().equals("vantage-evidence")).singleElement().satisfies(m -> {
            assertThat(m.marks()).as("the kz-2019 run's comparisons do not count for hunt").isZero();
            assertThat(m.reason()).contains(targets.get(0));
        });
        assertThat(g.marks()).filteredOn(m -> m.task().equals("root-spki")).singleElement()
                .satisfies(m -> assertThat(m.marks()).as("the hunt run's lab-started line is found after the kz-2019 one").isEqualTo(2));
    }

    @Test
    void dockerEvidenceIsTheBoxFileAndTheVantageContainersFileTogether() {
        Exercise hunt = exercise("hunt");
        Path f = answers("alice.yaml", ExerciseFixtures.yaml(hunt, ALICE, correct(hunt, ALICE)));
        List<org.mitmlab.event.FlowEvent> run = ExerciseFixtures.events("hunt", ALICE, variant(hunt, ALICE).targets());
        Path own = dir.resolve("events").resolve(ALICE);
        // the box's file has the run's lab-started line; the vantage container's file only the queries
        ExerciseFixtures.writeEvents(own.resolve("box-events.jsonl"), run.stream().filter(e -> !(e instanceof org.mitmlab.event.VantageQueried)).toList());
        ExerciseFixtures.writeEvents(own.resolve("vantage-events.jsonl"), run.stream().filter(e -> e instanceof org.mitmlab.event.VantageQueried).toList());
        assertThat(only(grader(Optional.of(dir.resolve("events"))).grade(List.of(f))).total()).isEqualTo(12);
    }

    @Test
    void aTamperedTokenZeroesEveryTask() {
        Exercise e = exercise("locate");
        String good = ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE));
        String token = ExerciseFixtures.key(ALICE).answerToken("locate");
        String flipped = (token.charAt(0) == '0' ? "1" : "0") + token.substring(1);
        GradedFile g = only(grader(Optional.empty()).grade(List.of(answers("a.yaml", good.replace(token, flipped)))));
        assertThat(g.marks()).hasSize(3).allSatisfy(m -> {
            assertThat(m.marks()).isZero();
            assertThat(m.reason()).isEqualTo("token does not match " + ALICE + ": the file was edited or made for another student");
        });
    }

    @Test
    void aFileCopiedFromAnotherStudentWithTheStudentChangedIsZero() {
        Exercise e = exercise("first-contact");
        String alices = ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE));
        List<GradedFile> graded = grader(Optional.empty()).grade(List.of(answers("alice.yaml", alices),
                answers("bob.yaml", alices.replace("student: " + ALICE, "student: " + BOB))));
        assertThat(graded).extracting(GradedFile::student).containsExactly(ALICE, BOB);
        assertThat(graded.get(0).total()).isEqualTo(10);
        assertThat(graded.get(1).total()).isZero();
        assertThat(graded.get(1).marks().get(0).reason()).startsWith("token does not match " + BOB);
    }

    @Test
    void malformedYamlIsOneZeroRowNamingFileAndLine() {
        Path f = answers("carol.yaml", "exercise: hunt\nstudent: carol@uni.example\nanswers:\n  intercepted: [vk.com\n");
        GradedFile g = only(grader(Optional.empty()).grade(List.of(f)));
        assertThat(g.student()).isEqualTo("(carol.yaml)");
        assertThat(g.exercise()).isEqualTo("?");
        assertThat(g.marks()).singleElement().satisfies(m -> {
            assertThat(m.marks()).isZero();
            assertThat(m.reason()).matches(java.util.regex.Pattern.quote(f.toString()) + ":\\d+: not valid YAML \\(.*\\)");
        });
    }

    @Test
    void unknownExerciseAndMissingStudentAreZeroWithAReason() {
        GradedFile unknown = only(grader(Optional.empty()).grade(List.of(answers("x.yaml",
                "exercise: sniff\nstudent: dave@uni.example\ntoken: \"0123456789abcdef\"\n"))));
        assertThat(unknown.student()).isEqualTo("dave@uni.example");
        assertThat(unknown.exercise()).isEqualTo("sniff");
        assertThat(unknown.marks().get(0).reason()).endsWith(":1: exercise: unknown exercise 'sniff': use one of first-contact, hunt, locate");

        GradedFile anonymous = only(grader(Optional.empty()).grade(List.of(answers("y.yaml", "exercise: locate\nanswers:\n  hop: 2\n"))));
        assertThat(anonymous.student()).isEqualTo("(y.yaml)");
        assertThat(anonymous.marks()).hasSize(3).allSatisfy(m -> assertThat(m.reason()).contains("no 'student:' field"));
    }

    @Test
    void twoFilesForOneStudentAndExerciseAreBothZero() {
        Exercise e = exercise("locate");
        String text = ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE));
        List<GradedFile> graded = grader(Optional.empty()).grade(List.of(answers("a1.yaml", text), answers("a2.yaml", text),
                answers("b.yaml", ExerciseFixtures.yaml(e, BOB, correct(e, BOB)))));
        assertThat(graded).extracting(GradedFile::total).containsExactly(0, 0, 10);
        assertThat(graded.get(0).marks().get(0).reason())
                .isEqualTo("2 answer files for " + ALICE + " on locate (a1.yaml, a2.yaml): keep the one to be graded");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new Grader("short".getBytes(StandardCharsets.US_ASCII), new ScenarioLoader(), Optional.empty()))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("only 5 bytes");
    }

    @Test
    void csvQuotesReasonsAndMarkdownHasASectionPerStudent() {
        Exercise e = exercise("locate");
        java.util.Map<String, String> a = new java.util.LinkedHashMap<>(correct(e, ALICE));
        a.put("router", "\"core, \\\"edge\\\"\"");
        List<GradedFile> graded = grader(Optional.empty()).grade(List.of(answers("alice.yaml", ExerciseFixtures.yaml(e, ALICE, a)),
                answers("bob.yaml", ExerciseFixtures.yaml(e, BOB, correct(e, BOB)))));
        String router = variant(e, ALICE).boxRouter();
        String csv = GradesCsv.format(graded);
        assertThat(csv.split("\r\n", -1)).containsExactly(
                "student,exercise,task,marks,max,reason",
                ALICE + ",locate,hop,4,4,correct",
                ALICE + ",locate,router,0,3,\"answered 'core, \"\"edge\"\"'; the box runs on " + router + "\"",
                ALICE + ",locate,address,3,3,correct",
                BOB + ",locate,hop,4,4,correct",
                BOB + ",locate,router,3,3,correct",
                BOB + ",locate,address,3,3,correct",
                "");
        String md = GradesMarkdown.format(graded);
        assertThat(md).startsWith("# Grades\n\n## " + ALICE + "\n\n### locate: 7/10\n\nFile: `alice.yaml`\n\n"
                + "| Task | Marks | Max | Reason |\n|---|---:|---:|---|\n| hop | 4 | 4 | correct |\n");
        assertThat(md).contains("| **Total** | **7** | **10** | |\n").contains("\n## " + BOB + "\n\n### locate: 10/10\n");
        assertThat(GradesMarkdown.cell("a|b\nc")).isEqualTo("a\\|b c");
    }
}
