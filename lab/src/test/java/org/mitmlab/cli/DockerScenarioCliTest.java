package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.scenario.ScenarioLoader;

/** The Docker lab's scenario options: what the box's proxy accepts, and what the banner tells. */
class DockerScenarioCliTest {
    @TempDir
    Path dir;

    @Test
    void proxyPhaseWithoutAScenarioIsAOneLineUserError() throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        org.mitmlab.testing.CliRun.Result r = CliTest.run("proxy", "--targets", targets.toString(), "--upstream-trust", "x",
                "--phase", "pilot", "--state-dir", dir.resolve("state").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).as("names the missing option").contains("--scenario");
    }

    @Test
    void proxyWithAPhaseTheScenarioLacksNamesItsPhases() throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        Path scenario = Files.writeString(dir.resolve("scenario.yaml"), ScenarioLoader.builtInText("kz-2020-drill"));
        org.mitmlab.testing.CliRun.Result r = CliTest.run("proxy", "--targets", targets.toString(), "--upstream-trust", "x",
                "--scenario", scenario.toString(), "--phase", "no-such-phase", "--state-dir", dir.resolve("state").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).as("the error names the problem and the phases").contains("no-such-phase").contains("kz-2020-drill");
    }

    @Test
    void proxyWithAMissingScenarioFileNamesIt() throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "vk.com\n");
        org.mitmlab.testing.CliRun.Result r = CliTest.run("proxy", "--targets", targets.toString(), "--upstream-trust", "x",
                "--scenario", dir.resolve("nope.yaml").toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        r.assertOneLineError();
        assertThat(r.err()).contains("nope.yaml");
    }

    @Test
    void theBannerDoesNotSayWhereTheBoxIsWhenFindingItIsTheExercise() {
        String locate = DockerUp.topologyLine(new ScenarioLoader().load("locate"));
        assertThat(locate).as("the locate banner's topology line").contains("hop 2").contains("hop 3")
                .doesNotContain("box is on").contains("mitmlab locate");
        String kz = DockerUp.topologyLine(new ScenarioLoader().load("kz-2019"));
        assertThat(kz).as("the kz-2019 banner's topology line").contains("The box is on the isp, hop 2");
    }
}
