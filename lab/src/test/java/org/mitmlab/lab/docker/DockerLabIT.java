package org.mitmlab.lab.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.cli.Main;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The Docker lab as a classroom uses it: a client behind a transparent isp, with the national root
 * installed (kz-2019 holding its "testing" phase, what a plain {@code up --docker} runs). One
 * topology for the whole class; torn down with {@code down}.
 */
class DockerLabIT {
    @TempDir
    static Path stateDir;

    static DockerLab lab;
    static LabConfig config;

    @BeforeAll
    static void startLab() throws Exception {
        DockerAvailability.requireDocker();
        config = LabConfig.defaults(new StateDir(stateDir));
        lab = DockerLabIT.DockerAvailability.start(config);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            DockerLab.down(System.out::println);
        }
    }

    @Test
    void clientWithTheRootReachesEveryTargetedSiteThroughAForgedChain() throws Exception {
        Map<String, String> issuers = issuersSeenFrom(DockerTopology.CLIENT, config.catalogue().targeted());
        assertThat(issuers).as("issuer of the leaf each targeted site presented to the client (status|issuer)")
                .allSatisfy((name, line) -> assertThat(line).startsWith("200|").contains("CN = Security Certificate"));
    }

    @Test
    void clientSeesTheGenuineChainOfAControlSite() throws Exception {
        Map<String, String> issuers = issuersSeenFrom(DockerTopology.CLIENT, List.of("halykbank.kz", "wikipedia.org"));
        assertThat(issuers).as("control sites are routed untouched").allSatisfy((name, line) ->
                assertThat(line).startsWith("200|").contains("Lab Web Trust TLS RSA CA 2026"));
    }

    @Test
    void vantageAbroadSeesEveryGenuineChain() throws Exception {
        List<String> all = new java.util.ArrayList<>(config.catalogue().targeted());
        all.addAll(config.catalogue().controls());
        Map<String, String> issuers = issuersSeenFrom(DockerTopology.VANTAGE, all);
        assertThat(issuers).as("the vantage point does not cross the isp").allSatisfy((name, line) ->
                assertThat(line).startsWith("200|").contains("Lab Web Trust TLS RSA CA 2026"));
    }

    @Test
    void ttlLimitedProbeToATargetedSiteIsAnsweredByTheIspHop() throws Exception {
        // the student's command (docs/docker-lab.md): traceroute -n -T -p 443 -q 1 -w 1 -m 6 vk.com
        int targeted = lastHop("vk.com");
        int control = lastHop("halykbank.kz");
        assertThat(targeted).as("hop at which a TCP/443 probe to vk.com (targeted) gets its answer")
                .isEqualTo(DockerTopology.hopOf(DockerTopology.ISP));
        assertThat(control).as("hop at which a TCP/443 probe to halykbank.kz (control) gets its answer")
                .isEqualTo(DockerTopology.hopOf(DockerTopology.INTERNET));
    }

    @Test
    void trustCheckInTheClientFindsTheInstalledNationalRoot() throws Exception {
        ExecResult r = lab.exec(DockerTopology.CLIENT, "mitmlab", "trust", "check", "--state-dir", "/lab/state",
                "--system-bundle", "/etc/ssl/certs/ca-certificates.crt");
        assertThat(r.getExitCode()).as("trust check exit code in the client (12: a national root is installed)\n" + r.getStdout()
                + r.getStderr()).isEqualTo(12);
        assertThat(r.getStdout()).as("what trust check reports").contains("/etc/ssl/certs/ca-certificates.crt").contains("Qaznet");
    }

    @Test
    void locateNamesTheIspHopForATargetedSiteAndTheRealDistanceForAControl() throws Exception {
        ExecResult r = lab.exec(DockerTopology.CLIENT, "mitmlab", "locate", "--here", "vk.com");
        assertThat(r.getExitCode()).as("locate's exit code (10: a box answers before the real distance)\n" + r.getStdout()
                + r.getStderr()).isEqualTo(10);
        assertThat(r.getStdout()).as("locate's verdict")
                .contains("answered at hop 2 (isp 172.30.2.3)")
                .contains("real distance (4 hops)");
    }

    @Test
    void theBoxsEventsStartWithTheScenarioAndItsHeldPhase() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(DockerLab.boxEvents(config.stateDir()));
        assertThat(lines).as("the box's events file").hasSizeGreaterThanOrEqualTo(2);
        org.mitmlab.event.EventJson json = new org.mitmlab.event.EventJson();
        assertThat(json.fromJson(lines.get(0))).as("the box's first event")
                .isInstanceOfSatisfying(org.mitmlab.event.LabStarted.class, s -> {
                    assertThat(s.scenario()).as("scenario").isEqualTo("kz-2019");
                    assertThat(s.played()).as("timeline played (a phase is held)").isFalse();
                });
        assertThat(json.fromJson(lines.get(1))).as("the box's second event")
                .isInstanceOfSatisfying(org.mitmlab.event.PhaseChanged.class, p -> {
                    assertThat(p.phase()).as("held phase").isEqualTo("testing");
                    assertThat(p.intercept()).as("intercepting").isTrue();
                });
    }

    @Test
    void detectFromTheHostRunsInTheClientAndComparesWithTheVantageContainer() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"detect", "--docker", "vk.com", "halykbank.kz", "--json"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(exit).as("detect --docker exit code (10: interception found)\n" + out + err).isEqualTo(10);
        JsonNode report = new ObjectMapper().readTree(out.toString());
        JsonNode vk = hostReport(report, "vk.com");
        JsonNode halyk = hostReport(report, "halykbank.kz");
        assertThat(vk.path("verdict").asText()).as("verdict for vk.com (targeted)").isEqualTo("intercepted");
        JsonNode vantage = finding(vk, "vantage-mismatch").path("evidence");
        assertThat(vantage.path("leafSpkiHere").asText()).as("leaf key seen from the client vs from the vantage container")
                .isNotBlank().isNotEqualTo(vantage.path("leafSpkiVantage").asText());
        assertThat(vantage.path("issuerHere").asText()).as("issuer the client was shown").contains("Security Certificate");
        assertThat(vantage.path("issuerVantage").asText()).as("issuer seen from abroad").contains("Lab Web Trust");
        assertThat(vantage.path("pathVantage").asText()).as("the comparison went through the vantage container")
                .contains(DockerTopology.ADDRESSES.get(DockerTopology.VANTAGE).get(DockerTopology.INTERNET_NET));
        assertThat(vantage.path("pathHere").asText()).as("the client's own path: each site's address, no proxy").contains("/lab/common/hosts");
        assertThat(halyk.path("verdict").asText()).as("verdict for halykbank.kz (control)").isEqualTo("genuine");
        assertThat(halyk.path("findings")).as("findings for halykbank.kz").isEmpty();

        Path events = stateDir.resolve("docker").resolve(DockerTopology.VANTAGE).resolve("events.jsonl");
        String queried = "";
        for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            queried = java.nio.file.Files.exists(events) ? java.nio.file.Files.readString(events) : "";
            if (queried.contains("\"vk.com\"")) {
                break;
            }
        }
        assertThat(queried.lines().filter(l -> l.contains("vantage-queried")).toList()).as("vantage-queried events in " + events)
                .anySatisfy(l -> assertThat(l).contains("\"host\":\"vk.com\""));
    }

    @Test
    void detectWithoutDockerSuggestsItWhenOnlyTheDockerLabRuns(@TempDir Path empty) {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"detect", "vk.com", "--state-dir", empty.toString()}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(exit).as("exit code without a lab in the state directory").isEqualTo(4);
        assertThat(err.toString()).as("the one-line error").contains("mitmlab detect --docker");
    }

    private static JsonNode hostReport(JsonNode report, String host) {
        for (JsonNode h : report.path("hosts")) {
            if (h.path("host").asText().equals(host)) {
                return h;
            }
        }
        throw new AssertionError("no report for " + host + " in " + report);
    }

    private static JsonNode finding(JsonNode hostReport, String detector) {
        for (JsonNode f : hostReport.path("findings")) {
            if (f.path("detector").asText().equals(detector)) {
                return f;
            }
        }
        throw new AssertionError("no " + detector + " finding in " + hostReport);
    }

    private int lastHop(String host) throws Exception {
        ExecResult r = lab.exec(DockerTopology.CLIENT, "traceroute", "-n", "-T", "-p", "443", "-q", "1", "-w", "1", "-m", "6", host);
        String ip = lab.topology().siteAddress(host);
        for (String line : r.getStdout().split("\n")) {
            String t = line.trim();
            if (t.matches("^\\d+\\s+.*") && t.contains(ip)) {
                return Integer.parseInt(t.split("\\s+")[0]);
            }
        }
        throw new AssertionError("traceroute to " + host + " never reached " + ip + ":\n" + r.getStdout() + r.getStderr());
    }

    /** For each name: "status|issuer line", fetched from inside the role's container in one exec. */
    static Map<String, String> issuersSeenFrom(String role, List<String> names) throws Exception {
        String script = "for n in " + String.join(" ", names) + "; do "
                + "s=$(curl -s -o /dev/null -m 10 -w '%{http_code}' https://$n/); "
                + "i=$(openssl s_client -connect $n:443 -servername $n </dev/null 2>/dev/null | openssl x509 -noout -issuer 2>/dev/null); "
                + "echo \"$n $s|$i\"; done";
        ExecResult r = lab.exec(role, "sh", "-c", script);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.getStdout().split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                out.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        assertThat(out.keySet()).as("every name was probed from " + role).containsExactlyInAnyOrderElementsOf(names);
        return out;
    }

    /** Fails (not skips) in CI when Docker is missing: CI must run these tests. */
    static final class DockerAvailability {
        /** -Dmitmlab.baseImage, or the offline base when built here, or the public JRE image. */
        static String baseImage() {
            String p = System.getProperty("mitmlab.baseImage", "");
            return p.isBlank() ? DockerLab.defaultBaseImage() : p;
        }

        /** Starts the Docker lab of {@code config}'s scenario from the built jar (after {@link #requireDocker}). */
        static DockerLab start(LabConfig config) throws InterruptedException {
            requireDocker();
            return DockerLab.start(config, config.scenario().scenario().studentRootInstalled(),
                    Path.of(System.getProperty("mitmlab.jar", "target/mitmlab.jar")), baseImage(), System.out::println);
        }

        static void requireDocker() {
            boolean available = DockerClientFactory.instance().isDockerAvailable();
            if (!available && "true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Docker is not available in CI: .ci/run must start it");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(available, "Docker is not available: skipping the Docker lab tests");
        }
    }
}
