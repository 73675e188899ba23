package org.mitmlab.lab.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.PhaseChanged;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.scenario.ScenarioLoader;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The baseline scenario in Docker: the box runs with an empty target list, so it adds no
 * redirect and every chain the client sees is genuine. Ends with {@code down}.
 */
class DockerBaselineIT {
    @TempDir
    static Path stateDir;

    static DockerLab lab;

    @BeforeAll
    static void startLab() throws Exception {
        DockerLabIT.DockerAvailability.requireDocker();
        LabConfig config = LabConfig.defaults(new StateDir(stateDir))
                .withScenario(new ScenarioLoader().load("baseline").resolveDemo(), Optional.empty());
        lab = DockerLabIT.DockerAvailability.start(config);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            DockerLab.down(System.out::println);
        }
    }

    @Test
    void clientSeesTheGenuineChainOfASiteTargetedIn2019() throws Exception {
        ExecResult r = lab.exec(DockerTopology.CLIENT, "sh", "-c", "for n in vk.com halykbank.kz; do "
                + "openssl s_client -connect $n:443 -servername $n </dev/null 2>/dev/null | openssl x509 -noout -issuer; done");
        assertThat(r.getStdout().strip().split("\n")).as("issuers the client sees for vk.com and halykbank.kz")
                .hasSize(2).allSatisfy(line -> assertThat(line).contains("Lab Web Trust TLS RSA CA 2026"));
    }

    @Test
    void theBoxAddsNoRedirect() throws Exception {
        ExecResult r = lab.exec(DockerTopology.ISP, "iptables", "-t", "nat", "-S", "PREROUTING");
        assertThat(r.getStdout()).as("the isp's NAT rules in baseline").doesNotContain("REDIRECT");
    }

    @Test
    void theBoxsEventsSayBaselineWithInterceptionOff() throws Exception {
        List<String> lines = Files.readAllLines(DockerLab.boxEvents(new StateDir(stateDir)));
        EventJson json = new EventJson();
        assertThat(json.fromJson(lines.get(0))).as("the box's first event")
                .isInstanceOfSatisfying(LabStarted.class, s -> assertThat(s.scenario()).as("scenario").isEqualTo("baseline"));
        assertThat(json.fromJson(lines.get(1))).as("the box's second event")
                .isInstanceOfSatisfying(PhaseChanged.class, p -> assertThat(p.intercept()).as("intercepting").isFalse());
    }
}
