package org.mitmlab.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;
import picocli.CommandLine.Option;

/** The options that choose a lesson: scenario, phase, and the student whose variant to run. */
final class ScenarioOptions {
    @Option(names = "--scenario", paramLabel = "NAME|FILE",
            description = "The lesson to run: a built-in scenario (baseline, kz-2019, refusal, blocklist, stolen-root, "
                    + "kz-2020-drill, careless-mitm, hunt, locate; 'mitmlab scenario list') or a .yaml file. "
                    + "Default: kz-2019, holding its 'testing' phase (interception on, no timeline).")
    String scenario;

    @Option(names = "--phase", paramLabel = "PHASE",
            description = "Hold this phase of the scenario's timeline instead of playing it ('mitmlab scenario show NAME' lists them).")
    String phase;

    @Option(names = "--day", paramLabel = "DURATION",
            description = "How long one day of the scenario's timeline lasts when played, e.g. 5s for a quick demo or 2m for a "
                    + "slow lecture (100ms..24h). Default: the scenario's own (kz-2019: 20s).")
    String day;

    @Option(names = "--student", paramLabel = "ID",
            description = "Run this student's variant of the scenario (an e-mail address or matriculation number); needs --secret-file.")
    String student;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "The instructor's secret: with --student, the variant is HMAC(secret, student id).")
    Path secretFile;

    /** The chosen scenario, resolved for the student (or the demo variant) and the phase to hold. */
    Choice choose() {
        if ((student == null) != (secretFile == null)) {
            throw UserError.of(student == null
                    ? "--secret-file needs --student ID: the variant is derived from both"
                    : "--student needs --secret-file FILE (the instructor's secret) to derive the student's variant");
        }
        try {
            Scenario s = new ScenarioLoader().load(scenario == null ? ScenarioLoader.DEFAULT : scenario);
            StudentKey key = student == null ? ResolvedScenario.DEMO_STUDENT : StudentKey.derive(StudentKey.readSecret(secretFile), student);
            Optional<String> hold = Optional.ofNullable(phase);
            if (phase != null && s.timeline().phase(phase).isEmpty()) {
                throw UserError.of("scenario " + s.name() + " has no phase '" + phase + "': use one of "
                        + String.join(", ", s.timeline().phases().stream().map(p -> p.name()).toList()));
            }
            if (day != null) {
                s = s.withDay(checkedDay(day, "--day"));
            }
            if (scenario == null) {
                // a plain 'up': the student's own traffic only, interception steadily on
                s = s.withoutPopulation();
                hold = Optional.of(phase == null ? s.timeline().steady() : phase);
            }
            return new Choice(s.resolve(key), hold, student != null);
        } catch (ScenarioException e) {
            throw UserError.of(e.getMessage());
        }
    }

    /** A --day value as a Duration, or a one-line error naming the fix. */
    static java.time.Duration checkedDay(String text, String option) {
        java.time.Duration d = org.mitmlab.scenario.YamlDocument.parseDuration(text).orElseThrow(() -> UserError.of(
                option + " " + text + " is not a duration: write it like 5s, 500ms or 2m"));
        if (d.compareTo(org.mitmlab.scenario.Timeline.MIN_DAY) < 0 || d.compareTo(org.mitmlab.scenario.Timeline.MAX_DAY) > 0) {
            throw UserError.of(option + " " + text + " is out of range: one scenario day lasts between 100ms and 24h");
        }
        return d;
    }

    /**
     * @param scenario the resolved scenario
     * @param hold     the phase to hold, or empty to play the timeline
     * @param forStudent true when a student's variant was asked for
     */
    record Choice(ResolvedScenario scenario, Optional<String> hold, boolean forStudent) {
    }
}
