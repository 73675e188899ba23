package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.exercise.ExerciseFixtures.ALICE;
import static org.mitmlab.exercise.ExerciseFixtures.correct;
import static org.mitmlab.exercise.ExerciseFixtures.exercise;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mitmlab.exercise.AnswerCheck.Line;
import org.mitmlab.exercise.AnswerCheck.Status;

/** The student's self-check: shape only, one line per field and task. */
class AnswerCheckTest {
    private static AnswerCheck.Report check(String exercise, String yaml) {
        return AnswerCheck.check(exercise(exercise), AnswerFile.parse(yaml, "answers.yaml"));
    }

    @Test
    void aCompleteFileIsReadyWhetherOrNotItIsRight() {
        Exercise e = exercise("hunt");
        Map<String, String> wrong = new LinkedHashMap<>(correct(e, ALICE));
        wrong.put("intercepted", "[vk.com]");
        for (Map<String, String> answers : List.of(correct(e, ALICE), wrong)) {
            AnswerCheck.Report r = check("hunt", ExerciseFixtures.yaml(e, ALICE, answers));
            assertThat(r.complete()).as("%s", r.lines()).isTrue();
            assertThat(r.lines()).extracting(Line::field)
                    .containsExactly("exercise", "student", "token", "intercepted", "decoys", "root-spki", "vantage-evidence");
            assertThat(r.lines().get(6).status()).isEqualTo(Status.NOTE);
        }
        assertThat(check("hunt", ExerciseFixtures.yaml(e, ALICE, wrong)).lines().get(3))
                .isEqualTo(new Line(Status.OK, "intercepted", "1 name"));
    }

    @Test
    void anIncompleteFileSaysWhatToFix() {
        String yaml = "exercise: first-contact\nstudent: alice@uni.example\nanswers:\n  victim-site: vk.con\n  forged-exponent: three\n"
                + "  victim-username: \"\"\n  notes: hello\n";
        AnswerCheck.Report r = check("first-contact", yaml);
        assertThat(r.complete()).isFalse();
        assertThat(r.lines()).containsExactly(
                new Line(Status.OK, "exercise", "first-contact"),
                new Line(Status.OK, "student", "alice@uni.example"),
                new Line(Status.MISSING, "token", "the token line is gone; restore the line the lab wrote (move this file aside, "
                        + "restart the lab with the same --student and copy the token over)"),
                new Line(Status.MALFORMED, "victim-site", "answers.yaml:4: answers.victim-site: 'vk.con' is not a lab site; 'mitmlab domains' lists them"),
                new Line(Status.MISSING, "victim-username", "write text, e.g. \"some value\" (quote it if it has ':' or '#'): "
                        + "the user name the victim typed (exactly)"),
                new Line(Status.MISSING, "victim-password", "write text, e.g. \"some value\" (quote it if it has ':' or '#'): "
                        + "the password the victim typed (exactly)"),
                new Line(Status.MISSING, "forged-issuer", "write text, e.g. \"some value\" (quote it if it has ':' or '#'): "
                        + "the common name (CN) of the issuer of a forged leaf"),
                new Line(Status.MALFORMED, "forged-exponent", "answers.yaml:5: answers.forged-exponent: expected a whole number, e.g. 7 or 0x7, found 'three'"),
                new Line(Status.UNKNOWN, "notes", "answers.yaml:7: answers.notes: not a task of first-contact; its tasks are "
                        + "victim-site, victim-username, victim-password, forged-issuer, forged-exponent"));
    }

    @Test
    void headerProblemsAreFlagged() {
        String yaml = "exercise: hunt\nstudent: \"alice smith\"\ntoken: xyz\nanswers:\n  root-spki: abc\n";
        List<Line> lines = check("locate", yaml).lines();
        assertThat(lines.get(0).status()).isEqualTo(Status.MALFORMED);
        assertThat(lines.get(0).message()).startsWith("answers.yaml:1: exercise: the file is for 'hunt', not 'locate'");
        assertThat(lines.get(1).status()).isEqualTo(Status.MALFORMED);
        assertThat(lines.get(1).message()).startsWith("answers.yaml:2: student: 'alice smith' is not a usable student id");
        assertThat(lines.get(2).message()).startsWith("answers.yaml:3: token: is not 16 hex digits");
        assertThat(check("hunt", yaml).lines()).contains(new Line(Status.MALFORMED, "root-spki",
                "answers.yaml:5: answers.root-spki: 'abc' is not 64 hex digits; paste the SPKI SHA-256 the lab or 'mitmlab detect' shows"));
    }

    @Test
    void aMisIndentedAnswerIsAnErrorWithItsLine() {
        java.nio.file.Path nowhere = java.nio.file.Path.of("no-such-dir", "answers.yaml");
        assertThat(AnswerCheck.check(exercise("hunt"), nowhere).lines()).singleElement()
                .satisfies(l -> assertThat(l.message()).contains("no such answer file"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnswerFile.parse("exercise: hunt\ndecoys: []\n", "a.yaml"))
                .hasMessage("a.yaml:2: decoys: an answer at the top level; indent it under 'answers:'");
    }
}
