package org.mitmlab.cli;

import org.mitmlab.testing.CliRun;
import org.mitmlab.testing.CliRun.Result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.exercise.ExerciseFixtures.ALICE;
import static org.mitmlab.exercise.ExerciseFixtures.BOB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.exercise.AnswerTemplate;
import org.mitmlab.exercise.Exercise;
import org.mitmlab.exercise.ExerciseFixtures;

/** {@code mitmlab check} and {@code mitmlab grade} in-process, on synthetic answer and events files. */
class GradeAndCheckCommandTest {
    @TempDir
    Path dir;


    static Result run(String... args) {
        return CliRun.run(args);
    }

    private Path secret() {
        return ExerciseFixtures.write(dir.resolve("secret.txt"), new String(ExerciseFixtures.SECRET, StandardCharsets.US_ASCII) + "\n");
    }

    @Test
    void checkSaysReadyForACompleteFile() {
        Exercise hunt = ExerciseFixtures.exercise("hunt");
        Path f = ExerciseFixtures.write(dir.resolve("answers-hunt.yaml"), ExerciseFixtures.yaml(hunt, ALICE, ExerciseFixtures.correct(hunt, ALICE)));
        Result r = run("check", "hunt", "--answers", f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("  ok         intercepted       11 names").contains("  note       vantage-evidence  no answer")
                .endsWith("Ready to hand in.\n").doesNotContain("correct");
    }

    @Test
    void checkListsWhatIsMissingInTheLabsTemplate() {
        Exercise locate = ExerciseFixtures.exercise("locate");
        AnswerTemplate.write(dir, locate, ExerciseFixtures.key(ALICE));
        Result r = run("check", "locate", "--state-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.ANSWERS_INCOMPLETE);
        assertThat(r.out()).contains("  missing    hop       write a whole number, e.g. 7 or 0x7: the hop number")
                .contains("Not ready: 3 missing, 0 malformed, 0 unknown; fix them and run check again.");
    }

    @Test
    void checkReportsAMalformedFileWithItsLine() {
        Path f = ExerciseFixtures.write(dir.resolve("a.yaml"), "exercise: hunt\nanswers:\n  intercepted: [vk.com\n");
        Result r = run("check", "hunt", "--answers", f.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.ANSWERS_INCOMPLETE);
        assertThat(r.out()).containsPattern("  malformed  file  " + java.util.regex.Pattern.quote(f.toString()) + ":\\d+: not valid YAML");
    }

    @Test
    void checkRefusesAnUnknownExerciseOrMissingFileInOneLine() {
        Result unknown = run("check", "sniff", "--answers", "x.yaml");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(unknown.err()).isEqualTo("mitmlab: unknown exercise 'sniff': use one of first-contact, hunt, locate\n");
        Result missing = run("check", "hunt", "--answers", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(missing.err().strip()).endsWith("nope.yaml does not exist: check the path").doesNotContain("\n");
    }

    @Test
    void gradeWritesCsvMarkdownAndASummary() throws Exception {
        Exercise hunt = ExerciseFixtures.exercise("hunt");
        Exercise locate = ExerciseFixtures.exercise("locate");
        Path answers = dir.resolve("handed-in");
        ExerciseFixtures.write(answers.resolve("alice-hunt.yaml"), ExerciseFixtures.yaml(hunt, ALICE, ExerciseFixtures.correct(hunt, ALICE)));
        ExerciseFixtures.write(answers.resolve("bob-locate.yaml"), ExerciseFixtures.yaml(locate, BOB, ExerciseFixtures.correct(locate, BOB)));
        ExerciseFixtures.write(answers.resolve("broken.yaml"), "exercise: [\n");
        ExerciseFixtures.writeEvents(dir.resolve("events").resolve(ALICE + ".jsonl"),
                ExerciseFixtures.events("hunt", ALICE, ExerciseFixtures.variant(hunt, ALICE).targets()));
        Path out = dir.resolve("grades");
        Result r = run("grade", "--secret-file", secret().toString(), "--answers", answers.toString(),
                "--events", dir.resolve("events").toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                student            exercise  marks
                (broken.yaml)      ?         0/0
                alice@uni.example  hunt      12/12
                bob@uni.example    locate    10/10
                Graded 3 files; grades.csv and grades.md are in %s.
                """.formatted(out));
        String csv = Files.readString(out.resolve("grades.csv"));
        assertThat(csv).startsWith("student,exercise,task,marks,max,reason\r\n(broken.yaml),?,-,0,0,")
                .contains("alice@uni.example,hunt,root-spki,2,2,correct\r\n");
        assertThat(Files.readString(out.resolve("grades.md"))).contains("## alice@uni.example\n\n### hunt: 12/12\n");
    }

    @Test
    void gradeErrorsAreOneLineWithTheFix() {
        Path answers = dir.resolve("handed-in");
        Result noSecret = run("grade", "--secret-file", dir.resolve("none.txt").toString(), "--answers", answers.toString());
        assertThat(noSecret.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(noSecret.err()).contains("no such secret file; create it with").doesNotContain("\tat ");

        Path shortSecret = ExerciseFixtures.write(dir.resolve("short.txt"), "tiny\n");
        assertThat(run("grade", "--secret-file", shortSecret.toString(), "--answers", answers.toString()).err())
                .contains("the instructor secret is only 4 bytes");

        Result noDir = run("grade", "--secret-file", secret().toString(), "--answers", answers.toString());
        assertThat(noDir.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(noDir.err()).isEqualTo("mitmlab: --answers directory " + answers + " does not exist: check the path\n");

        ExerciseFixtures.write(answers.resolve("readme.txt"), "nothing here");
        assertThat(run("grade", "--secret-file", secret().toString(), "--answers", answers.toString()).err())
                .isEqualTo("mitmlab: no *.yaml answer files in " + answers + ": collect the students' answers-EXERCISE.yaml there\n");
    }

    @Test
    void helpShowsExamples() {
        assertThat(run("grade", "--help").out()).contains("Examples:").contains("mitmlab grade --secret-file secret.txt");
        assertThat(run("check", "--help").out()).contains("Examples:").contains("mitmlab check hunt");
    }
}
