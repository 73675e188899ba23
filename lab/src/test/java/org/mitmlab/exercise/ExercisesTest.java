package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.exercise.ExerciseFixtures.ALICE;
import static org.mitmlab.exercise.ExerciseFixtures.BOB;
import static org.mitmlab.exercise.ExerciseFixtures.exercise;
import static org.mitmlab.exercise.ExerciseFixtures.variant;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioLoader;

/** The exercise list, its scenarios, and the per-student variants the grader recomputes. */
class ExercisesTest {
    @Test
    void everyExercisesScenarioLoadsAndNamesItBack() {
        assertThat(Exercises.ids()).containsExactly("first-contact", "hunt", "locate");
        for (Exercise e : Exercises.all()) {
            Scenario s = new ScenarioLoader().load(e.scenario());
            assertThat(s.exercise()).as(e.id()).contains(e.id());
            assertThat(e.handout().toString().replace('\\', '/')).isEqualTo("docs/exercises/" + e.id() + ".md");
            assertThat(e.tasks()).extracting(Task::id).doesNotHaveDuplicates();
        }
        assertThat(exercise("hunt").maxMarks()).isEqualTo(12);
        assertThat(exercise("first-contact").maxMarks()).isEqualTo(10);
        assertThat(exercise("locate").maxMarks()).isEqualTo(10);
        assertThat(Exercises.byId("nope")).isEmpty();
    }

    @Test
    void twoStudentsGetDifferentHuntTargetsAndVictims() {
        assertThat(variant(exercise("hunt"), ALICE).targets()).as("hunt targets").isNotEqualTo(variant(exercise("hunt"), BOB).targets());
        assertThat(variant(exercise("first-contact"), ALICE).victim()).as("victims")
                .isNotEqualTo(variant(exercise("first-contact"), BOB).victim());
        assertThat(variant(exercise("hunt"), ALICE).targets()).hasSize(11);
        assertThat(HuntExercise.decoys(variant(exercise("hunt"), ALICE).targets())).hasSize(3);
    }

    @Test
    void boxRoutersDifferAcrossStudents() {
        Set<String> routers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            routers.add(variant(exercise("locate"), "student" + i + "@uni.example").boxRouter());
        }
        assertThat(routers).containsExactlyInAnyOrder("isp", "ix");
    }

    @Test
    void theSameStudentAndSecretAlwaysGetTheSameVariant() {
        for (Exercise e : Exercises.all()) {
            assertThat(variant(e, ALICE)).as(e.id()).isEqualTo(variant(e, " Alice@Uni.Example "));
            assertThat(variant(e, ALICE).boxRouter()).isEqualTo(variant(e, ALICE).boxRouter());
        }
    }
}
