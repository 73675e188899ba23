package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.exercise.ExerciseFixtures.ALICE;
import static org.mitmlab.exercise.ExerciseFixtures.exercise;
import static org.mitmlab.exercise.ExerciseFixtures.key;
import static org.mitmlab.exercise.ExerciseFixtures.variant;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.scenario.ResolvedScenario;

/** The answer file the lab writes: parses, carries the token, reveals nothing, never overwrites work. */
class AnswerTemplateTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"first-contact", "hunt", "locate"})
    void theTemplateHasEveryAnsweredTaskEmptyAndTheToken(String id) throws Exception {
        Exercise e = exercise(id);
        AnswerTemplate.Outcome o = AnswerTemplate.write(dir, e, key(ALICE));
        assertThat(o.written()).isTrue();
        assertThat(o.file()).isEqualTo(dir.resolve("answers-" + id + ".yaml"));
        AnswerFile parsed = AnswerFile.read(o.file());
        assertThat(parsed.exerciseId()).contains(id);
        assertThat(parsed.studentId()).contains(ALICE);
        assertThat(parsed.tokenText()).contains(key(ALICE).answerToken(id));
        assertThat(parsed.answers().keySet()).containsExactlyElementsOf(
                e.tasks().stream().filter(t -> t.kind().takesAnswer()).map(Task::id).toList());
        assertThat(parsed.hasAnswers()).isFalse();

        AnswerCheck.Report check = AnswerCheck.check(e, o.file());
        assertThat(check.complete()).isFalse();
        assertThat(check.count(AnswerCheck.Status.MISSING)).isEqualTo(parsed.answers().size());
        assertThat(check.count(AnswerCheck.Status.MALFORMED)).isZero();
    }

    @Test
    void theTemplateRevealsNoAnswer() throws Exception {
        String hunt = Files.readString(AnswerTemplate.write(dir, exercise("hunt"), key(ALICE)).file());
        for (String target : variant(exercise("hunt"), ALICE).targets()) {
            assertThat(hunt).doesNotContain(target);
        }
        ResolvedScenario.Victim v = variant(exercise("first-contact"), ALICE).victim().orElseThrow();
        String fc = Files.readString(AnswerTemplate.write(dir, exercise("first-contact"), key(ALICE)).file());
        assertThat(fc).doesNotContain(v.site()).doesNotContain(v.username()).doesNotContain(v.password())
                .doesNotContain("Security Certificate");
        assertThat(fc).contains("# the password the victim typed (exactly) (2 marks)").contains("docs/exercises/first-contact.md");
        assertThat(hunt).contains("# vantage-evidence (2 marks): no answer");
    }

    @Test
    void aFileWithAnswersIsKeptAndAnEmptyOneIsRewritten() throws Exception {
        Exercise e = exercise("locate");
        Path file = AnswerTemplate.write(dir, e, key(ALICE)).file();
        String filled = Files.readString(file).replace("  hop:\n", "  hop: 3\n");
        Files.writeString(file, filled);
        assertThat(AnswerTemplate.write(dir, e, key(ALICE)).written()).as("restart with answers").isFalse();
        assertThat(Files.readString(file)).isEqualTo(filled);

        Files.writeString(file, "answers: [unclosed\n");
        assertThat(AnswerTemplate.write(dir, e, key(ALICE)).written()).as("a half-edited file is the student's").isFalse();

        Files.writeString(file, AnswerTemplate.text(e, key("bob@uni.example")));
        assertThat(AnswerTemplate.write(dir, e, key(ALICE)).written()).as("still empty").isTrue();
        assertThat(AnswerFile.read(file).studentId()).contains(ALICE);
    }
}
