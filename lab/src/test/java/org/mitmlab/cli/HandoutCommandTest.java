package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.exercise.Exercise;
import org.mitmlab.exercise.Exercises;
import org.mitmlab.testing.CliRun;
import org.mitmlab.testing.CliRun.Result;

/** {@code mitmlab handout}: a student with only the jar reads the same handout as the repository's. */
class HandoutCommandTest {
    private static final Path HANDOUTS = Path.of("..", "docs", "exercises");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mitmlab handout {0}")
    @ValueSource(strings = {"first-contact", "hunt", "locate"})
    void printsTheRepositorysHandoutWordForWord(String exercise) throws Exception {
        Result r = CliRun.run("handout", exercise);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(HANDOUTS.resolve(exercise + ".md"), StandardCharsets.UTF_8));
    }

    @Test
    void everyExerciseHasItsHandoutInTheJar() {
        for (Exercise e : Exercises.all()) {
            assertThat(e.handoutText()).as("handout of %s", e.id()).startsWith("# Exercise ");
        }
    }

    @Test
    void withoutAnExerciseItListsThemWithTheirScenarios() {
        Result r = CliRun.run("handout");
        assertThat(r.exit()).as(r.err()).isZero();
        for (Exercise e : Exercises.all()) {
            assertThat(r.out()).contains(e.id()).contains(e.title()).contains("scenario " + e.scenario());
        }
        assertThat(r.out()).doesNotContain("instructor");
    }

    @Test
    void writesItToAFileWithOut() throws Exception {
        Path file = dir.resolve("hunt.md");
        Result r = CliRun.run("handout", "hunt", "--out", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote the hunt handout to " + file.toAbsolutePath());
        assertThat(file).hasSameTextualContentAs(HANDOUTS.resolve("hunt.md"));
        assertThat(Files.getPosixFilePermissions(file)).as("a handout others may read")
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        assertThat(dir).as("no temporary file left behind").isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void anUnknownExerciseNamesTheKnownOnes() {
        Result r = CliRun.run("handout", "hnut");
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("unknown exercise 'hnut'").contains("first-contact, hunt, locate");
    }

    @Test
    void outWithoutAnExerciseIsAUserError() {
        Result r = CliRun.run("handout", "--out", dir.resolve("x.md").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--out needs an exercise");
        assertThat(dir.resolve("x.md")).doesNotExist();
    }
}
