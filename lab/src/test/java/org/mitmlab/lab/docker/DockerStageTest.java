package org.mitmlab.lab.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;

/** What {@link DockerLab#stage} gives the box: no Docker needed, only the staged files. */
class DockerStageTest {
    private static final byte[] SECRET = "docker stage test secret, not a real one".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path state;

    @Test
    void theBoxIsStagedOnlyForTheRouterTheStudentsVariantNames() throws Exception {
        ResolvedScenario onIx = LocateVariants.onRouter(SECRET, DockerTopology.IX);
        Path stage = DockerLab.stage(LabConfig.defaults(new StateDir(state)).withScenario(onIx, Optional.empty()), true, line -> { });

        Path ix = stage.resolve(DockerTopology.IX);
        assertThat(ix.resolve("national-root.key")).as("the box's key, in the router that hosts it").exists();
        assertThat(Files.getPosixFilePermissions(ix.resolve("national-root.key"))).as("the root key's mode")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(ix.resolve("national-intermediate.key"))).as("the intermediate key's mode")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.walk(stage)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("national-") && p.toString().endsWith(".key"))
                    .map(p -> stage.relativize(p).toString()))
                    .as("national keys anywhere in the stage").containsExactlyInAnyOrder("ix/national-root.key", "ix/national-intermediate.key");
        }
        try (var files = Files.list(stage.resolve(DockerTopology.ISP))) {
            assertThat(files).as("the isp's state when the box is on the ix").isEmpty();
        }
        assertThat(Files.readAllLines(ix.resolve("targets.txt"))).as("the resolved targets").isEqualTo(onIx.targets());
        assertThat(Files.readString(ix.resolve("scenario.yaml"))).as("the scenario as shipped")
                .isEqualTo(ScenarioLoader.builtInText("locate"));
        assertThat(Files.readString(ix.resolve("student")).strip()).as("the student id for lab-started")
                .isEqualTo(onIx.student().student());
        assertThat(ix.resolve("phase")).as("no phase to hold: the timeline plays").doesNotExist();
        assertThat(DockerLab.boxEventsDir(new StateDir(state))).as("the box's events directory, the same for every router")
                .isEqualTo(stage.resolve("box-events")).isDirectory();
        assertThat(Files.readString(stage.resolve("common").resolve("hosts"))).as("no secret in the shared files")
                .doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
    }

    @Test
    void baselineStagesAnEmptyTargetListAndItsHoldPhase() throws Exception {
        Scenario baseline = new ScenarioLoader().load("baseline");
        Path stage = DockerLab.stage(LabConfig.defaults(new StateDir(state))
                .withScenario(baseline.resolveDemo(), Optional.of(baseline.timeline().steady())), true, line -> { });

        Path isp = stage.resolve(DockerTopology.ISP);
        assertThat(Files.readString(isp.resolve("targets.txt"))).as("baseline's targets.txt").isEmpty();
        assertThat(Files.readString(isp.resolve("phase")).strip()).as("the held phase").isEqualTo(baseline.timeline().steady());
        assertThat(Files.readString(isp.resolve("scenario.yaml"))).as("the scenario file").contains("name: baseline");
        try (var files = Files.list(stage.resolve(DockerTopology.IX))) {
            assertThat(files).as("the ix's state when the box is on the isp").isEmpty();
        }
    }

    @Test
    void theTimelinesSpeedChosenOnTheHostIsStagedForTheBox() throws Exception {
        Scenario fast = new ScenarioLoader().load("kz-2019").withDay(java.time.Duration.ofMillis(250));
        Path stage = DockerLab.stage(LabConfig.defaults(new StateDir(state)).withScenario(fast.resolveDemo(), Optional.empty()),
                true, line -> { });

        assertThat(Files.readString(stage.resolve(DockerTopology.ISP).resolve("day")).strip())
                .as("box.sh passes it to the proxy as --day").isEqualTo("250ms");
    }

    @Test
    void aScenarioCopyLoadsUnderTheStagedFileName() throws Exception {
        Path copy = Files.writeString(state.resolve("scenario.yaml"), ScenarioLoader.builtInText("kz-2020-drill"));
        Scenario s = new ScenarioLoader().loadCopy(copy);
        assertThat(s.name()).as("name of a copy staged as scenario.yaml").isEqualTo("kz-2020-drill");
        assertThat(s.timeline()).as("its timeline").isEqualTo(new ScenarioLoader().load("kz-2020-drill").timeline());
        assertThat(s.text()).as("the text it was parsed from").isEqualTo(ScenarioLoader.builtInText("kz-2020-drill"));
    }

    /** Student ids whose variant of the locate scenario puts the box on a given router. */
    static final class LocateVariants {
        private LocateVariants() {
        }

        static ResolvedScenario onRouter(byte[] secret, String router) {
            Scenario locate = new ScenarioLoader().load("locate");
            for (int i = 1; i < 200; i++) {
                ResolvedScenario rs = locate.resolve(StudentKey.derive(secret, "student" + i + "@example.edu"));
                if (rs.boxRouter().equals(router)) {
                    return rs;
                }
            }
            throw new AssertionError("no student of 200 has the box on " + router + ": check the locate scenario's box list");
        }

        static List<String> routers() {
            return List.of(DockerTopology.ISP, DockerTopology.IX);
        }
    }
}
