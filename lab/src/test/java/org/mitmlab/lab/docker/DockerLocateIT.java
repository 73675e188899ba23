package org.mitmlab.lab.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.PhaseChanged;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.scenario.ResolvedScenario;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The locate exercise: two students whose variants put the box on different routers each find it,
 * with {@code mitmlab locate} from their client, at their own hop. One lab per variant, one after
 * the other (the lab's names and addresses are fixed); each ends with {@code down}.
 */
class DockerLocateIT {
    private static final byte[] SECRET = "locate IT instructor secret, not a real one".getBytes(StandardCharsets.US_ASCII);

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BoxOnTheIx extends LocateLab {
        BoxOnTheIx() {
            super(DockerTopology.IX, "ix 172.30.3.3");
        }

        @Test
        void theIspOnlyRoutes() throws Exception {
            ExecResult r = lab.exec(DockerTopology.ISP, "iptables", "-t", "nat", "-S", "PREROUTING");
            assertThat(r.getStdout()).as("the isp's NAT rules when the box is on the ix").doesNotContain("REDIRECT");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BoxOnTheIsp extends LocateLab {
        BoxOnTheIsp() {
            super(DockerTopology.ISP, "isp 172.30.2.3");
        }
    }

    abstract static class LocateLab {
        private final String router;
        private final String hopLabel;
        Path stateDir;
        DockerLab lab;
        ResolvedScenario variant;

        LocateLab(String router, String hopLabel) {
            this.router = router;
            this.hopLabel = hopLabel;
        }

        @BeforeAll
        void startLab() throws Exception {
            DockerLabIT.DockerAvailability.requireDocker();
            stateDir = Files.createTempDirectory("mitmlab-locate-it");
            variant = DockerStageTest.LocateVariants.onRouter(SECRET, router);
            LabConfig config = LabConfig.defaults(new StateDir(stateDir)).withScenario(variant, Optional.empty());
            lab = DockerLabIT.DockerAvailability.start(config);
        }

        @AfterAll
        void removeLab() throws Exception {
            if (lab != null) {
                DockerLab.down(System.out::println);
            }
            if (stateDir != null) {
                try (var walk = Files.walk(stateDir)) { // holds the national key: leave nothing behind
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }

        @Test
        void locateFindsTheBoxAtItsRoutersHopAndTheControlAtItsRealDistance() throws Exception {
            assertThat(lab.boxRouter()).as("router hosting " + variant.student().student() + "'s box").isEqualTo(router);
            ExecResult r = lab.exec(DockerTopology.CLIENT, "mitmlab", "locate", "--here", "vk.com");
            assertThat(r.getExitCode()).as("locate's exit code (10: a box answers before the real distance)\n" + r.getStdout()
                    + r.getStderr()).isEqualTo(10);
            assertThat(r.getStdout()).as("locate's verdict")
                    .contains("vk.com is answered at hop " + DockerTopology.hopOf(router) + " (" + hopLabel + ")")
                    .contains("real distance (" + DockerTopology.hopOf(DockerTopology.INTERNET) + " hops)");
        }

        /** The handout's way: 'mitmlab locate vk.com' on the host, the answers from its verdict line, check, grade. */
        @Test
        void aStudentWhoAnswersFromLocatesVerdictGetsFullMarks() throws Exception {
            // as the student types it: the jar, which runs locate in the client container and prints there
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    System.getProperty("mitmlab.jar", "target/mitmlab.jar"), "locate", "vk.com").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("locate finished").isTrue();
            assertThat(p.exitValue()).as("locate from the host\n" + out).isEqualTo(10);
            java.util.regex.Matcher verdict = java.util.regex.Pattern.compile("vk\\.com is answered at hop (\\d+) \\((\\S+) (\\S+)\\)")
                    .matcher(out);
            assertThat(verdict.find()).as("the verdict line in\n" + out).isTrue();

            Path work = Files.createTempDirectory(stateDir, "hand-in");
            Path secret = Files.write(work.resolve("secret.txt"), SECRET);
            org.mitmlab.exercise.Exercise locate = org.mitmlab.exercise.Exercises.byId("locate").orElseThrow();
            Path template = org.mitmlab.exercise.AnswerTemplate.write(work, locate, variant.student()).file();
            String header = Files.readAllLines(template).stream().filter(l -> l.startsWith("exercise:") || l.startsWith("student:")
                    || l.startsWith("token:")).reduce("", (a, b) -> a + b + "\n");
            Path answers = Files.createDirectories(work.resolve("answers")).resolve("student.yaml");
            Files.writeString(answers, header + "answers:\n  hop: " + verdict.group(1) + "\n  router: " + verdict.group(2)
                    + "\n  address: \"" + verdict.group(3) + "\"\n");
            assertThat(org.mitmlab.cli.Main.run(new String[] {"check", "locate", "--answers", answers.toString()},
                    new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(new java.io.StringWriter(), true)))
                    .as("the self-check").isZero();
            Path grades = work.resolve("grades");
            assertThat(org.mitmlab.cli.Main.run(new String[] {"grade", "--secret-file", secret.toString(), "--answers",
                    answers.getParent().toString(), "--out", grades.toString()}, new java.io.PrintWriter(new java.io.StringWriter(), true),
                    new java.io.PrintWriter(new java.io.StringWriter(), true))).isZero();
            String csv = Files.readString(grades.resolve("grades.csv"));
            assertThat(csv).as("grades.csv").contains(",locate,hop,4,4,", ",locate,router,3,3,", ",locate,address,3,3,");
        }

        @Test
        void theBoxsEventsStartWithTheLocateScenario() throws Exception {
            List<String> lines = Files.readAllLines(DockerLab.boxEvents(new StateDir(stateDir)));
            assertThat(lines).as("the box's events file").hasSizeGreaterThanOrEqualTo(2);
            EventJson json = new EventJson();
            FlowEvent first = json.fromJson(lines.get(0));
            assertThat(first).as("the first event of the box").isInstanceOfSatisfying(LabStarted.class, s -> {
                assertThat(s.scenario()).as("scenario").isEqualTo("locate");
                assertThat(s.student()).as("student").isEqualTo(variant.student().student());
                assertThat(s.mode()).as("mode").isEqualTo("docker");
            });
            assertThat(json.fromJson(lines.get(1))).as("the second event: the phase the box is in")
                    .isInstanceOfSatisfying(PhaseChanged.class, p -> assertThat(p.intercept()).as("intercepting").isTrue());
        }
    }
}
