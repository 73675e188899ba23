package org.mitmlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario files as a user meets them: every file of the repository's {@code scenarios/} is a
 * built-in and loads from the jar and from its path; each mistake in a hand-edited file is one line
 * naming the file, the line, the field and the fix; per-student variants are repeatable and differ
 * between students.
 */
class ScenarioLoaderTest {
    /** The repository's scenarios/ directory, seen from the lab module (Surefire's working directory). */
    private static final Path SCENARIOS = Path.of("..", "scenarios");
    private static final byte[] SECRET = "an instructor secret of 32 bytes".getBytes(StandardCharsets.US_ASCII);

    private final ScenarioLoader loader = new ScenarioLoader();

    // ---------------------------------------------------------------- the files in scenarios/

    static List<String> filesInScenariosDirectory() throws IOException {
        try (Stream<Path> files = Files.list(SCENARIOS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .map(n -> n.replaceFirst("\\.ya?ml$", "")).sorted().toList();
        }
    }

    @Test
    void theBuiltInsAreExactlyTheFilesInTheScenariosDirectory() throws IOException {
        assertThat(Files.isDirectory(SCENARIOS)).as("%s exists (tests run in lab/)", SCENARIOS.toAbsolutePath()).isTrue();

        assertThat(filesInScenariosDirectory()).as("the .yaml files of scenarios/")
                .containsExactlyInAnyOrderElementsOf(ScenarioLoader.BUILT_IN);
        assertThat(new HashSet<>(ScenarioLoader.BUILT_IN)).as("no built-in is listed twice").hasSize(ScenarioLoader.BUILT_IN.size());
    }

    @ParameterizedTest(name = "{0} loads from the jar and from scenarios/{0}.yaml")
    @MethodSource("filesInScenariosDirectory")
    void everyScenarioFileLoadsFromTheJarAndFromItsPath(String name) throws IOException {
        Path file = SCENARIOS.resolve(name + ".yaml");

        Scenario fromJar = loader.load(name);
        Scenario fromFile = loader.load(file.toString());

        assertThat(ScenarioLoader.builtInText(name)).as("the jar ships %s as it is in the repository", file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(fromJar.name()).isEqualTo(name);
        assertThat(fromFile.name()).isEqualTo(name);
        assertThat(fromFile.source()).as("messages about the file name the path").isEqualTo(file.toString());
        assertThat(fromFile.title()).as("a title for 'scenario list'").isNotBlank().isEqualTo(fromJar.title());
        assertThat(fromFile.summary()).isNotBlank();
        assertThat(fromFile.modes()).isNotEmpty().isEqualTo(fromJar.modes());
        assertThat(fromFile.targets()).isEqualTo(fromJar.targets());
        assertThat(fromFile.forgery()).isEqualTo(fromJar.forgery());
        assertThat(fromFile.timeline()).isEqualTo(fromJar.timeline());
        assertThat(fromFile.resolveDemo().targets()).as("the demo variant of %s", name)
                .isEqualTo(fromJar.resolveDemo().targets());
    }

    // ---------------------------------------------------------------- mistakes: file:line: field: problem; fix

    /** A small valid scenario of six lines; the broken texts below add to it or change it. */
    private static final String BASE = """
            name: t
            title: T
            summary: S
            modes: [embedded, docker]
            targets:
              list: kz-2019
            """;

    /**
     * @param file      the file name the text is loaded as
     * @param text      the broken scenario
     * @param line      the line the message must name
     * @param field     the field it must name (null for a YAML syntax error)
     * @param fix       words of the fix (or of the allowed values) the message must contain
     */
    record Broken(String what, String file, String text, int line, String field, List<String> fix) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Broken> brokenScenarios() {
        return Stream.of(
                new Broken("unknown top-level field", "t.yaml", BASE + "colour: blue\n", 7, "colour",
                        List.of("unknown field", "allowed here: attackers, browsers, exercise, forgery, interception, modes, name, "
                                + "population, root, student, summary, targets, timeline, title")),
                new Broken("name not matching the file", "other.yaml", BASE, 1, "name",
                        List.of("is 't' but the file is other.yaml", "make them the same")),
                new Broken("unknown site in targets.names", "t.yaml", """
                        name: t
                        title: T
                        summary: S
                        targets:
                          names:
                            - vk.com
                            - example.org
                            - mail.ru
                        """, 7, "targets.names[1]", List.of("'example.org' is not a lab site", "'mitmlab domains' lists")),
                new Broken("per-student count out of range", "t.yaml", """
                        name: t
                        title: T
                        summary: S
                        targets:
                          per-student:
                            from: kz-2019
                            count: 99
                            decoys: 3
                        """, 7, "targets.per-student.count", List.of("99 is out of range", "use 1..37")),
                new Broken("timeline phases out of order", "t.yaml", BASE + """
                        timeline:
                          phases:
                            - name: start
                              day: 0
                              intercept: true
                            - name: pause
                              day: 3
                              intercept: false
                            - name: again
                              day: 2
                              intercept: true
                        """, 16, "timeline.phases[2].day", List.of("phases must be in order", "day 2.0 is not after day 3.0")),
                new Broken("steady phase that does not exist", "t.yaml", BASE + """
                        timeline:
                          steady: testing
                          phases:
                            - name: start
                              day: 0
                              intercept: true
                            - name: pause
                              day: 3
                              intercept: false
                        """, 8, "timeline.steady", List.of("'testing' is not one of the phases: pause, start")),
                new Broken("unknown signer", "t.yaml", BASE + """
                        forgery:
                          base: kz-2019
                          signer: notary
                        """, 9, "forgery.signer", List.of("'notary' is not allowed here", "use one of intermediate, root, self")),
                new Broken("a tab indents a line", "t.yaml", BASE + "population:\n\tusers: 3\n", 8, null,
                        List.of("not valid YAML", "TAB")),
                new Broken("a line indented deeper than its neighbour", "t.yaml", BASE + """
                        population:
                          users: 3
                           victim: true
                        """, 9, null, List.of("not valid YAML", "mapping values are not allowed here")),
                new Broken("duplicate key", "t.yaml", BASE + "title: Again\n", 7, "title",
                        List.of("appears twice in the same mapping", "keep one")),
                new Broken("even RSA exponent", "t.yaml", BASE + """
                        forgery:
                          exponent: 65536
                        """, 8, "forgery.exponent", List.of("must be odd", "65537")),
                new Broken("attackers in a scenario that runs in Docker", "t.yaml", BASE + """
                        attackers:
                          - name: cafe-wifi
                            targets: [halykbank.kz]
                        """, 8, "attackers", List.of("embedded lab only", "modes: [embedded]")),
                new Broken("a share over 100%", "t.yaml", BASE + """
                        interception:
                          paths: 150%
                        """, 8, "interception.paths", List.of("found '150%'", "between 0 and 1 (or 0% and 100%)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenScenarios")
    void aBrokenScenarioIsOneLineNamingFileLineFieldAndFix(Broken broken) {
        String stem = broken.file().replaceFirst("\\.yaml$", "");

        ScenarioException e = catchThrowableOfType(() -> loader.parse(broken.text(), broken.file(), stem), ScenarioException.class);

        assertThat(e).as("%s is refused", broken.what()).isNotNull();
        String message = e.getMessage();
        assertThat(message).as("one line").doesNotContain("\n");
        assertThat(message).as("file and line first").startsWith(broken.file() + ":" + broken.line() + ": ");
        if (broken.field() != null) {
            assertThat(message).as("names the field").startsWith(broken.file() + ":" + broken.line() + ": " + broken.field() + ": ");
        }
        for (String words : broken.fix()) {
            assertThat(message).as("says what is wrong and how to fix it").contains(words);
        }
    }

    @Test
    void aBrokenFileOnDiskIsReportedByItsPath() throws IOException {
        Path dir = Files.createTempDirectory("scenario-loader");
        try {
            Path file = dir.resolve("mine.yaml");
            Files.writeString(file, BASE.replace("name: t", "name: mine") + "colour: blue\n");

            ScenarioException e = catchThrowableOfType(() -> loader.load(file.toString()), ScenarioException.class);

            assertThat(e.getMessage()).startsWith(file + ":7: colour: unknown field");
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void anUnknownBuiltInNamesTheBuiltIns() {
        ScenarioException e = catchThrowableOfType(() -> loader.load("nope"), ScenarioException.class);

        assertThat(e.getMessage()).contains("unknown scenario 'nope'").contains(String.join(", ", ScenarioLoader.BUILT_IN));
    }

    // ---------------------------------------------------------------- per-student variants

    @Test
    void theSameSecretAndStudentAlwaysGiveTheSameVariant() {
        for (String name : List.of("hunt", "locate", "kz-2019")) {
            ResolvedScenario first = loader.load(name).resolve(StudentKey.derive(SECRET, "alice@uni.example"));
            ResolvedScenario again = new ScenarioLoader().load(name).resolve(StudentKey.derive(SECRET.clone(), " Alice@Uni.Example "));

            assertThat(again.targets()).as("%s: targets", name).isEqualTo(first.targets());
            assertThat(again.boxRouter()).as("%s: the box's router", name).isEqualTo(first.boxRouter());
            assertThat(again.victim()).as("%s: the victim", name).isEqualTo(first.victim());
        }
        ResolvedScenario hunt = loader.load("hunt").resolve(StudentKey.derive(SECRET, "alice@uni.example"));
        assertThat(hunt.targets()).as("hunt intercepts 8 of the 2019 names plus 3 decoys").hasSize(11);
    }

    @Test
    void differentStudentsHuntDifferentTargets() {
        Scenario hunt = loader.load("hunt");
        List<List<String>> variants = new ArrayList<>();
        for (String student : List.of("alice@uni.example", "bob@uni.example", "carol@uni.example", "dave@uni.example",
                "erin@uni.example")) {
            variants.add(hunt.resolve(StudentKey.derive(SECRET, student)).targets());
        }

        assertThat(new HashSet<>(variants)).as("the hunt targets of five students are not all the same: %s", variants).hasSizeGreaterThan(1);
        Set<String> otherSecret = new TreeSet<>(hunt.resolve(StudentKey.derive(
                "another secret of the instructor".getBytes(StandardCharsets.US_ASCII), "alice@uni.example")).targets());
        assertThat(otherSecret).as("another secret gives alice another variant").isNotEqualTo(new TreeSet<>(variants.get(0)));
    }

    @Test
    void aShortSecretIsRefusedWithTheFix() {
        byte[] fifteen = "fifteen bytes!!".getBytes(StandardCharsets.US_ASCII);

        ScenarioException e = catchThrowableOfType(() -> StudentKey.derive(fifteen, "alice@uni.example"), ScenarioException.class);

        assertThat(e.getMessage()).contains("only 15 bytes").contains("at least 16").contains("/dev/urandom").doesNotContain("\n");
        assertThat(StudentKey.derive("sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII), "alice@uni.example"))
                .as("16 bytes are enough").isNotNull();
    }

    @Test
    void aBadStudentIdIsRefusedWithTheFix() {
        for (String id : List.of("alice smith", "", "bob;rm", "x".repeat(201))) {
            ScenarioException e = catchThrowableOfType(() -> StudentKey.derive(SECRET, id), ScenarioException.class);

            assertThat(e).as("student id '%s' is refused", id).isNotNull();
            assertThat(e.getMessage()).contains("is not a usable student id").contains("e-mail address");
        }
    }

    @org.junit.jupiter.api.Test
    void aFasterDayMovesEveryPhaseProportionally() {
        Scenario kz = new ScenarioLoader().load("kz-2019");
        Timeline fast = kz.withDay(java.time.Duration.ofMillis(500)).timeline();
        Timeline.Phase pause = fast.phase("pause").orElseThrow();
        assertThat(fast.startOf(pause)).as("day 9 at half a second a day").isEqualTo(java.time.Duration.ofMillis(4500));
        assertThat(fast.phaseAt(java.time.Duration.ofMillis(4600)).name()).isEqualTo("pause");
        assertThat(kz.timeline().phaseAt(java.time.Duration.ofMillis(4600)).name()).as("the shipped speed: still the pilot")
                .isEqualTo("pilot");
    }
}
