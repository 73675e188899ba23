package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.exercise.Exercise;
import org.mitmlab.exercise.Exercises;
import org.mitmlab.exercise.Readings;
import org.mitmlab.testing.CliRun;
import org.mitmlab.testing.CliRun.Result;

/** {@code mitmlab handout}: a student with only the jar reads the same handout as the repository's. */
class HandoutCommandTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path HANDOUTS = DOCS.resolve("exercises");
    /** A Markdown link's target: everything between "](" and ")". */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mitmlab handout {0}")
    @ValueSource(strings = {"first-contact", "hunt", "locate"})
    void printsTheRepositorysHandoutWordForWord(String exercise) throws Exception {
        Result r = CliRun.run("handout", exercise);
        assertThat(r.exit()).as(r.err()).isZero();
        // the one change: links to the readings lose their "../", as the readings are printed beside it
        String repository = Files.readString(HANDOUTS.resolve(exercise + ".md"), StandardCharsets.UTF_8);
        assertThat(r.out()).isEqualTo(repository.replace("](../", "]("));
    }

    @ParameterizedTest(name = "mitmlab handout {0}")
    @ValueSource(strings = {"kazakhstan-2019", "how-the-lab-works", "national-root", "detectors", "writing-a-detector", "docker-lab"})
    void printsTheReadingsTheHandoutsLinkTo(String reading) throws Exception {
        Result r = CliRun.run("handout", reading);
        assertThat(r.exit()).as(r.err()).isZero();
        // word for word, but for links to documents the jar does not carry (ReadingsTest)
        assertThat(r.out()).isEqualTo(Readings.forPrinting(Files.readString(DOCS.resolve(reading + ".md"), StandardCharsets.UTF_8)));
        assertThat(r.out().lines().count()).isEqualTo(Files.readAllLines(DOCS.resolve(reading + ".md")).size());
    }

    /** Before, the handouts printed from the jar linked to ../kazakhstan-2019.md and the like: nowhere. */
    @Test
    void everyDocumentLinkInWhatItPrintsNamesSomethingItPrints() {
        List<String> printable = new ArrayList<>(Exercises.ids());
        printable.addAll(Readings.ids());
        for (String name : printable) {
            Result r = CliRun.run("handout", name);
            assertThat(r.exit()).as(r.err()).isZero();
            Matcher m = LINK.matcher(r.out());
            int documentLinks = 0;
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                assertThat(file).as("a link in %s", name).endsWith(".md");
                assertThat(printable).as("%s links to %s", name, target).contains(file.substring(0, file.length() - 3));
                documentLinks++;
            }
            if (Exercises.byId(name).isPresent()) {
                assertThat(documentLinks).as("%s links to the 2019 facts at least", name).isPositive();
            }
        }
    }

    @Test
    void aHandoutAndItsReadingsWrittenIntoOneFolderLinkToEachOther() throws Exception {
        assertThat(CliRun.run("handout", "hunt", "--out", dir.resolve("hunt.md").toString()).exit()).isZero();
        for (String reading : List.of("kazakhstan-2019", "detectors")) {
            Result r = CliRun.run("handout", reading, "--out", dir.resolve(reading + ".md").toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Wrote the " + reading + " reading to ");
        }
        Matcher m = LINK.matcher(Files.readString(dir.resolve("hunt.md")));
        List<String> targets = new ArrayList<>();
        while (m.find()) {
            targets.add(m.group(1));
        }
        assertThat(targets).contains("kazakhstan-2019.md", "detectors.md");
        for (String target : targets) {
            assertThat(dir.resolve(target)).as("hunt.md links to %s", target).isRegularFile();
        }
    }

    @Test
    void everyExerciseHasItsHandoutInTheJar() {
        for (Exercise e : Exercises.all()) {
            assertThat(e.handoutText()).as("handout of %s", e.id()).startsWith("# Exercise ");
        }
    }

    @Test
    void withoutANameItListsTheExercisesWithTheirScenariosAndTheReadings() {
        Result r = CliRun.run("handout");
        assertThat(r.exit()).as(r.err()).isZero();
        for (Exercise e : Exercises.all()) {
            assertThat(r.out()).contains(e.id()).contains(e.title()).contains("scenario " + e.scenario());
        }
        assertThat(r.out()).contains(String.join(", ", Readings.ids())).contains("how-the-lab-works");
        assertThat(r.out()).doesNotContain("instructor");
    }

    @Test
    void writesItToAFileWithOut() throws Exception {
        Path file = dir.resolve("hunt.md");
        Result r = CliRun.run("handout", "hunt", "--out", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote the hunt handout to " + file.toAbsolutePath());
        assertThat(Files.readString(file)).isEqualTo(CliRun.run("handout", "hunt").out());
        assertThat(Files.getPosixFilePermissions(file)).as("a handout others may read")
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        assertThat(dir).as("no temporary file left behind").isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void anUnknownExerciseNamesTheKnownOnes() {
        Result r = CliRun.run("handout", "hnut");
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("unknown handout 'hnut'").contains("first-contact, hunt, locate")
                .contains("kazakhstan-2019").contains("detectors");
    }

    @Test
    void outWithoutAnExerciseIsAUserError() {
        Result r = CliRun.run("handout", "--out", dir.resolve("x.md").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("--out needs a handout");
        assertThat(dir.resolve("x.md")).doesNotExist();
    }
}
