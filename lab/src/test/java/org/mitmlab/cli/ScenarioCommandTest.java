package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.testing.CliRun.Result;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;

/**
 * {@code mitmlab scenario list|show|start} and the scenario options of {@code up}, run in-process
 * through {@link Main#run} as a user types them: what the listing and the explanation show (and,
 * for an exercise, what they must not give away), and one-line errors (exit 3, no stack trace) for
 * an unknown scenario, the wrong lab mode, a student without a secret and a broken file. None of
 * these starts a lab.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScenarioCommandTest {
    @TempDir
    static Path temp;

    private static Result run(String... args) {
        return CliTest.run(args);
    }

    private static String stateDir() {
        return temp.resolve("state").toString();
    }

    @Test
    void aDayThatIsNoDurationOrOutOfRangeIsAOneLineError() {
        Result word = run("up", "--scenario", "kz-2019", "--day", "fast", "--state-dir", stateDir());
        assertThat(word.exit()).isEqualTo(ExitCodes.USER_ERROR);
        word.assertOneLineError();
        assertThat(word.err()).contains("--day fast is not a duration").contains("5s");

        Result tooShort = run("up", "--scenario", "kz-2019", "--day", "10ms", "--state-dir", stateDir());
        assertThat(tooShort.exit()).isEqualTo(ExitCodes.USER_ERROR);
        tooShort.assertOneLineError();
        assertThat(tooShort.err()).contains("between 100ms and 24h");
    }

    @Test
    void listShowsAllNineBuiltInsWithWhereTheyRun() {
        Result r = run("scenario", "list");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(ScenarioLoader.BUILT_IN).hasSize(9);
        List<String> lines = r.out().lines().toList();
        for (String name : ScenarioLoader.BUILT_IN) {
            String modes = switch (name) {
                case "locate" -> "docker ";
                case "blocklist", "stolen-root" -> "embedded ";
                default -> "embedded, docker ";
            };
            assertThat(lines).as("a row for %s saying it runs in: %s", name, modes.strip())
                    .anySatisfy(l -> assertThat(l).startsWith(name + " ").contains(" " + modes));
        }
        assertThat(r.out()).contains("mitmlab scenario show NAME");
    }

    @Test
    void showHuntDoesNotGiveAwayTheTargets() {
        Result r = run("scenario", "show", "hunt");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("chosen per student").contains("8 of 37 names and 3 decoys");
        List<String> leaked = new ArrayList<>();
        DomainCatalogue.kz2019().sites().forEach(s -> {
            if (r.out().contains(s.name())) {
                leaked.add(s.name());
            }
        });
        assertThat(leaked).as("site names in 'scenario show hunt' (the demo variant's or anyone's targets)").isEmpty();
    }

    @Test
    void showKz2019PrintsTheSevenPhasesAndThePilotsKeySize() {
        Result r = run("scenario", "show", "kz-2019");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        List<String> phaseLines = r.out().lines().filter(l -> l.strip().startsWith("day ")).toList();
        assertThat(phaseLines).as("one line per phase, in order").hasSize(7);
        String[][] expected = {{"0", "2019-07-17", "pilot", "ON"}, {"2", "2019-07-19", "testing", "ON"},
            {"5", "2019-07-22", "overnight-stop", "off"},
            {"5.4", "2019-07-22", "resumed", "ON"}, {"9", "2019-07-26", "pause", "off"}, {"13", "2019-07-30", "resumed-again", "ON"},
            {"21", "2019-08-07", "ended", "off"}};
        for (int i = 0; i < expected.length; i++) {
            assertThat(phaseLines.get(i).strip().split("\\s+")).as("phase line %d: %s", i, phaseLines.get(i))
                    .startsWith("day", expected[i][0], expected[i][1], expected[i][2], expected[i][3]);
        }
        assertThat(phaseLines.get(0)).as("the pilot's own forgery").contains("forged keys RSA-1024");
        assertThat(r.out()).contains("one scenario day = 20 s").contains("Start it: mitmlab up --scenario kz-2019");
    }

    @Test
    void showAnUnknownScenarioNamesTheBuiltIns() {
        Result r = run("scenario", "show", "nope");

        assertThat(r.exit()).as("a user error").isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains("unknown scenario 'nope'").contains(String.join(", ", ScenarioLoader.BUILT_IN))
                .contains("mitmlab scenario list");
    }

    @ParameterizedTest(name = "mitmlab scenario {0} --help")
    @ValueSource(strings = {"start", "show", "list"})
    void subcommandHelpWorks(String sub) {
        Result r = run("scenario", sub, "--help");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("Usage:").contains("scenario " + sub);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void upWithADockerOnlyScenarioSaysAddDocker() {
        Result r = run("up", "--state-dir", stateDir(), "--proxy-port", "0", "--no-dashboard", "--scenario", "locate");

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains("locate").contains("Docker lab only").contains("add --docker");
        assertThat(Path.of(stateDir()).resolve("lab.json")).as("no lab was started").doesNotExist();
    }

    @Test
    void upWithAnEmbeddedOnlyScenarioInDockerSaysDropDocker() {
        Result r = run("up", "--state-dir", stateDir(), "--scenario", "stolen-root", "--docker");

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains("stolen-root").contains("embedded lab only").contains("drop --docker");
    }

    @Test
    void upWithAStudentButNoSecretIsRefused() {
        Result r = run("up", "--state-dir", stateDir(), "--proxy-port", "0", "--no-dashboard", "--student", "a@b");

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains("--student needs --secret-file");
    }

    @Test
    void upWithAShortSecretSaysHowToMakeOne() throws IOException {
        Path secret = Files.writeString(temp.resolve("short-secret.txt"), "tooshort\n", StandardCharsets.US_ASCII);

        Result r = run("up", "--state-dir", stateDir(), "--proxy-port", "0", "--no-dashboard", "--scenario", "hunt",
                "--student", "alice@uni.example", "--secret-file", secret.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains("only 8 bytes").contains("at least " + StudentKey.MIN_SECRET_BYTES);
    }

    @Test
    void upWithABrokenScenarioFileNamesFileAndLine() throws IOException {
        Path file = temp.resolve("my.yaml");
        Files.writeString(file, """
                name: my
                title: Mine
                summary: A scenario with a typo
                targets:
                  list: kz-2019
                forgery:
                  signer: notary
                """, StandardCharsets.UTF_8);

        Result r = run("up", "--state-dir", stateDir(), "--proxy-port", "0", "--no-dashboard", "--scenario", file.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains(file + ":7: forgery.signer: 'notary' is not allowed here; use one of intermediate, root, self");
        assertThat(r.err()).doesNotContain("ScenarioException").doesNotContain("Exception");
    }

    @Test
    void scenarioStartPassesTheSameChecksAsUp() {
        Result r = run("scenario", "start", "locate", "--state-dir", stateDir(), "--proxy-port", "0", "--no-dashboard");

        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.errLine()).contains("Docker lab only");
    }
}
