package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.exercise.ExerciseFixtures.ALICE;
import static org.mitmlab.exercise.ExerciseFixtures.BOB;
import static org.mitmlab.exercise.ExerciseFixtures.correct;
import static org.mitmlab.exercise.ExerciseFixtures.exercise;
import static org.mitmlab.exercise.ExerciseFixtures.variant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.ScenarioLoader;

/** Each exercise's tasks, marked against per-student variants with synthetic answers and events. */
class ExerciseMarkingTest {
    @TempDir
    Path dir;

    /** Marks every task of a parsed answer text for the student, with the given evidence. */
    private static List<TaskMark> mark(Exercise exercise, String student, String yaml, Evidence evidence) {
        AnswerFile answers = AnswerFile.parse(yaml, "answers-" + exercise.id() + ".yaml");
        ResolvedScenario v = variant(exercise, student);
        List<TaskMark> out = new ArrayList<>();
        for (Task t : exercise.tasks()) {
            out.add(t.mark(v, answers.answers().get(t.id()), evidence));
        }
        return out;
    }

    /** The student's own events, comparing every intercepted name. */
    private Evidence ownEvents(Exercise exercise, String student) {
        List<FlowEvent> events = ExerciseFixtures.events(exercise.scenario(), student, variant(exercise, student).targets());
        return Evidence.of(StudentEvents.read(ExerciseFixtures.writeEvents(dir.resolve(student + ".jsonl"), events)));
    }

    private static TaskMark task(List<TaskMark> marks, String id) {
        return marks.stream().filter(m -> m.task().equals(id)).findFirst().orElseThrow();
    }

    private static int total(List<TaskMark> marks) {
        return marks.stream().mapToInt(TaskMark::marks).sum();
    }

    static Stream<Arguments> exercisesAndStudents() {
        return Exercises.all().stream().flatMap(e -> Stream.of(Arguments.of(e.id(), ALICE), Arguments.of(e.id(), BOB)));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("exercisesAndStudents")
    void correctAnswersGetFullMarks(String id, String student) {
        Exercise e = exercise(id);
        List<TaskMark> marks = mark(e, student, ExerciseFixtures.yaml(e, student, correct(e, student)), ownEvents(e, student));
        assertThat(marks).as("every task, in order").extracting(TaskMark::task).containsExactlyElementsOf(e.tasks().stream().map(Task::id).toList());
        assertThat(marks).as("%s", marks).allSatisfy(m -> assertThat(m.marks()).as(m.task() + ": " + m.reason()).isEqualTo(m.max()));
        assertThat(total(marks)).isEqualTo(e.maxMarks());
    }

    static Stream<Arguments> answeredTasks() {
        return Exercises.all().stream().flatMap(e -> e.tasks().stream().filter(t -> t.kind().takesAnswer())
                .map(t -> Arguments.of(e.id(), t.id())));
    }

    @ParameterizedTest(name = "{0}: wrong {1}")
    @MethodSource("answeredTasks")
    void aWrongAnswerLosesExactlyItsTasksMarks(String id, String taskId) {
        Exercise e = exercise(id);
        Map<String, String> answers = new LinkedHashMap<>(correct(e, ALICE));
        answers.put(taskId, ExerciseFixtures.wrong(e, ALICE, taskId));
        List<TaskMark> marks = mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, answers), ownEvents(e, ALICE));
        Task t = e.task(taskId).orElseThrow();
        assertThat(task(marks, taskId).marks()).as(task(marks, taskId).reason()).isZero();
        assertThat(task(marks, taskId).reason()).as("the reason says why").isNotEqualTo("correct").isNotBlank();
        assertThat(total(marks)).as("%s", marks).isEqualTo(e.maxMarks() - t.max());
    }

    @Test
    void huntReasonsListMissingAndExtraNames() {
        Exercise e = exercise("hunt");
        List<String> targets = variant(e, ALICE).targets();
        String outsider = new ScenarioLoader().load("kz-2019").resolve(ExerciseFixtures.key(ALICE)).targets().stream()
                .filter(n -> !targets.contains(n)).findFirst().orElseThrow();
        Map<String, String> answers = new LinkedHashMap<>(correct(e, ALICE));
        answers.put("intercepted", "[" + String.join(", ", targets.subList(1, targets.size())) + ", " + outsider.toUpperCase() + "]");
        TaskMark m = task(mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, answers), ownEvents(e, ALICE)), "intercepted");
        assertThat(m.marks()).isZero();
        assertThat(m.reason()).isEqualTo("missing: " + targets.get(0) + "; extra: " + outsider);
    }

    @Test
    void evidenceTasksNeedTheStudentsEvents() {
        Exercise e = exercise("hunt");
        List<TaskMark> marks = mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE)), Evidence.notGiven());
        assertThat(task(marks, "root-spki")).isEqualTo(new TaskMark("root-spki", 0, 2, "needs the student's events (--events)"));
        assertThat(task(marks, "vantage-evidence").reason()).isEqualTo("needs the student's events (--events)");
        assertThat(task(marks, "intercepted").marks()).as("answers need no events").isEqualTo(6);
    }

    @Test
    void anotherStudentsEventsAreNotEvidence() {
        Exercise e = exercise("hunt");
        Path bobs = ExerciseFixtures.writeEvents(dir.resolve("bob.jsonl"),
                ExerciseFixtures.events("hunt", BOB, variant(e, ALICE).targets()));
        List<TaskMark> marks = mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE)), Evidence.of(StudentEvents.read(bobs)));
        assertThat(task(marks, "root-spki").marks()).isZero();
        assertThat(task(marks, "root-spki").reason()).contains("written by the lab of " + BOB + ", not " + ALICE);
        assertThat(task(marks, "vantage-evidence").marks()).isZero();
    }

    @Test
    void eventsOfAnotherScenarioOrWithoutLabStartedAreNotEvidence() {
        Exercise e = exercise("hunt");
        List<String> targets = variant(e, ALICE).targets();
        Path kz = ExerciseFixtures.writeEvents(dir.resolve("kz.jsonl"), ExerciseFixtures.events("kz-2019", ALICE, targets));
        Path bare = ExerciseFixtures.writeEvents(dir.resolve("bare.jsonl"),
                ExerciseFixtures.events("hunt", ALICE, targets).subList(1, targets.size() + 1));
        String yaml = ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE));
        assertThat(task(mark(e, ALICE, yaml, Evidence.of(StudentEvents.read(kz))), "root-spki").reason())
                .contains("running scenario kz-2019, not hunt");
        assertThat(task(mark(e, ALICE, yaml, Evidence.of(StudentEvents.read(bare))), "root-spki").reason())
                .contains("has no lab-started line");
    }

    @Test
    void vantageEvidenceNamesTheNamesNeverCompared() {
        Exercise e = exercise("hunt");
        List<String> targets = variant(e, ALICE).targets();
        Path events = ExerciseFixtures.writeEvents(dir.resolve("alice.jsonl"),
                ExerciseFixtures.events("hunt", ALICE, targets.subList(2, targets.size())), "{not json", "");
        List<TaskMark> marks = mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, correct(e, ALICE)), Evidence.of(StudentEvents.read(events)));
        TaskMark m = task(marks, "vantage-evidence");
        assertThat(m.marks()).isZero();
        assertThat(m.reason()).startsWith("never compared from the vantage point: " + targets.get(0) + ", " + targets.get(1))
                .as("unreadable lines are counted").contains("1 unreadable line of");
        assertThat(task(marks, "root-spki").marks()).isEqualTo(2);
    }

    @Test
    void lenientFormsAreAccepted() {
        Exercise fc = exercise("first-contact");
        ResolvedScenario.Victim w = variant(fc, ALICE).victim().orElseThrow();
        Map<String, String> a = new LinkedHashMap<>(correct(fc, ALICE));
        a.put("victim-site", "\"https://" + w.site().toUpperCase() + "./login\"");
        a.put("forged-issuer", "\"C = KZ, CN = security certificate\"");
        a.put("forged-exponent", "0x3");
        assertThat(total(mark(fc, ALICE, ExerciseFixtures.yaml(fc, ALICE, a), Evidence.notGiven()))).isEqualTo(fc.maxMarks());

        Exercise hunt = exercise("hunt");
        Map<String, String> h = new LinkedHashMap<>(correct(hunt, ALICE));
        h.put("root-spki", "\"" + String.join(":", ExerciseFixtures.SPKI.toUpperCase().split("(?<=\\G..)")) + "\"");
        assertThat(total(mark(hunt, ALICE, ExerciseFixtures.yaml(hunt, ALICE, h), ownEvents(hunt, ALICE)))).isEqualTo(hunt.maxMarks());
    }

    @ParameterizedTest
    @CsvSource({"isp, 2, mitmlab-isp, 172.30.3.2", "ix, 3, IX, 172.30.4.2"})
    void locateAcceptsEveryAddressAndTheContainerName(String router, int hop, String name, String address) {
        Exercise e = exercise("locate");
        String student = studentWithRouter(router);
        Map<String, String> a = Map.of("hop", String.valueOf(hop), "router", name, "address", address);
        List<TaskMark> marks = mark(e, student, ExerciseFixtures.yaml(e, student, a), Evidence.notGiven());
        assertThat(total(marks)).as("%s", marks).isEqualTo(10);
    }

    private static String studentWithRouter(String router) {
        for (int i = 0; i < 100; i++) {
            String s = "student" + i + "@uni.example";
            if (variant(exercise("locate"), s).boxRouter().equals(router)) {
                return s;
            }
        }
        throw new AssertionError("no student among 100 has the box on " + router);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"  \""})
    void blankAnswersAreNotAnswered(String blank) {
        Exercise e = exercise("locate");
        Map<String, String> a = new LinkedHashMap<>(correct(e, ALICE));
        a.put("hop", blank);
        a.remove("address");
        List<TaskMark> marks = mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, a), Evidence.notGiven());
        assertThat(task(marks, "hop").reason()).isEqualTo("not answered");
        assertThat(task(marks, "address").reason()).isEqualTo("not answered");
        assertThat(task(marks, "router").marks()).isEqualTo(3);
    }

    @Test
    void malformedAnswersAreZeroWithTheLine() {
        Exercise e = exercise("hunt");
        Map<String, String> a = new LinkedHashMap<>(correct(e, ALICE));
        a.put("intercepted", "[vk.com, example.org]");
        List<TaskMark> marks = mark(e, ALICE, ExerciseFixtures.yaml(e, ALICE, a), ownEvents(e, ALICE));
        assertThat(task(marks, "intercepted").reason())
                .isEqualTo("malformed: answers-hunt.yaml:6: answers.intercepted[1]: 'example.org' is not a lab site; 'mitmlab domains' lists them");
    }
}
