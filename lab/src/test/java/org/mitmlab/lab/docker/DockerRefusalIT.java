package org.mitmlab.lab.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.scenario.ScenarioLoader;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;

/** The "refusal" scenario: the client did not install the national root. Ends with {@code down}. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerRefusalIT {
    @TempDir
    static Path stateDir;

    static DockerLab lab;
    static LabConfig config;

    @BeforeAll
    static void startLab() throws Exception {
        DockerLabIT.DockerAvailability.requireDocker();
        config = LabConfig.defaults(new StateDir(stateDir))
                .withScenario(new ScenarioLoader().load("refusal").resolveDemo(), java.util.Optional.empty());
        lab = DockerLabIT.DockerAvailability.start(config);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            DockerLab.down(System.out::println);
        }
    }

    @Test
    @Order(1)
    void clientWithoutTheRootFailsCertificateVerificationOnEveryTargetedSite() throws Exception {
        String script = "for n in " + String.join(" ", config.catalogue().targeted()) + "; do "
                + "curl -s -o /dev/null -m 10 https://$n/; echo \"$n $?\"; done";
        ExecResult r = lab.exec(DockerTopology.CLIENT, "sh", "-c", script);
        assertThat(r.getStdout().trim().split("\n")).as("curl exit code per targeted site (60 = certificate not trusted)")
                .hasSize(config.catalogue().targeted().size())
                .allSatisfy(line -> assertThat(line).endsWith(" 60"));
    }

    @Test
    @Order(2)
    void controlSitesStillWorkWithoutTheRoot() throws Exception {
        String script = "for n in " + String.join(" ", config.catalogue().controls()) + "; do "
                + "curl -s -o /dev/null -m 10 -w '%{http_code}' https://$n/; echo \" $n\"; done";
        ExecResult r = lab.exec(DockerTopology.CLIENT, "sh", "-c", script);
        assertThat(r.getStdout().trim().split("\n")).as("HTTP status per control site").allSatisfy(line -> assertThat(line).startsWith("200 "));
    }

    @Test
    @Order(2)
    void trustCheckInTheClientFindsNoNationalRoot() throws Exception {
        ExecResult r = lab.exec(DockerTopology.CLIENT, "mitmlab", "trust", "check", "--state-dir", "/lab/state",
                "--system-bundle", "/etc/ssl/certs/ca-certificates.crt");
        assertThat(r.getExitCode()).as("trust check exit code in a client that refused the root\n" + r.getStdout() + r.getStderr())
                .isZero();
    }

    @Test
    @Order(3)
    void downLeavesNoContainerOrNetworkBehind() {
        int removed = DockerLab.down(System.out::println);
        var docker = DockerClientFactory.instance().client();
        assertThat(removed).as("objects removed by down (6 containers + 4 networks)").isEqualTo(10);
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerTopology.LABEL, "true")).exec())
                .as("lab containers left after down").isEmpty();
        assertThat(docker.listNetworksCmd().withFilter("label", List.of(DockerTopology.LABEL + "=true")).exec())
                .as("lab networks left after down").isEmpty();
        assertThat(docker.listContainersCmd().withShowAll(true).withNameFilter(List.of(DockerTopology.PREFIX)).exec())
                .as("containers named mitmlab-* left after down").isEmpty();
    }
}
