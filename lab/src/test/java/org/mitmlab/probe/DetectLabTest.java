package org.mitmlab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.WebPki;
import org.mitmlab.testing.GenericForgery;

/**
 * {@code mitmlab detect} against a running embedded lab in the 2019 scenario: every targeted name is
 * flagged with the evidence of every detector, no control name is, the exit codes are the documented
 * ones, and a generic interceptor (not ours) in front of the lab is caught by the same detectors with
 * other heuristic tells. Everything talks to 127.0.0.1 only, and every wait is bounded.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DetectLabTest {
    @TempDir
    static Path tmp;

    static StateDir state;
    static EmbeddedLab lab;
    static final DomainCatalogue CATALOGUE = DomainCatalogue.kz2019();

    @BeforeAll
    static void startLab() throws InterruptedException {
        state = new StateDir(tmp.resolve("state"));
        // advertised: detect finds the lab through lab.json, in this test's own state directory
        lab = EmbeddedLab.start(LabConfig.defaults(state).withProxyPort(0), Clock.systemUTC(), new SecureRandom(), m -> { }, true);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    static X509Certificate genuineLeaf(String host) {
        return PemFiles.readCertificates(state.sites().resolve(host + ".pem")).get(0);
    }

    static X509Certificate genuineIssuingCa(String host) {
        return PemFiles.readCertificates(state.sites().resolve(host + ".pem")).get(1);
    }

    static int closedPort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Nested
    class ThroughTheLabProxy {
        @Test
        void detectAllFlagsEveryTargetedNameAndNoControlName() {
            DetectCli.Result r = DetectCli.detect(state, "--all", "--json");
            assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(10);
            JsonNode json = r.json();
            assertThat(json.at("/summary/intercepted").asInt()).isEqualTo(37);
            assertThat(json.at("/summary/genuine").asInt()).isEqualTo(11);
            assertThat(json.at("/exitCode").asInt()).isEqualTo(10);
            for (String host : CATALOGUE.targeted()) {
                assertThat(r.host(host).path("verdict").asText()).as("verdict for targeted %s", host).isEqualTo("intercepted");
                assertThat(r.detectorsThatFired(host)).as("detectors for %s", host).contains("untrusted-issuer", "vantage-mismatch",
                        "sni-differential", "known-interception-root", "not-in-ct-log", "pin-mismatch");
            }
            for (String host : CATALOGUE.controls()) {
                JsonNode h = r.host(host);
                assertThat(h.path("verdict").asText()).as("verdict for control %s", host).isEqualTo("genuine");
                assertThat(h.path("findings")).as("findings for control %s", host).isEmpty();
                assertThat(h.path("skipped")).as("every detector ran for %s", host).isEmpty();
            }
        }

        @Test
        void everyDetectorShowsItsEvidenceForATargetedName() throws Exception {
            DetectCli.Result r = DetectCli.detect(state, "vk.com", "--json");
            assertThat(r.exit()).isEqualTo(10);
            X509Certificate genuine = genuineLeaf("vk.com");
            X509Certificate nationalRoot = PemFiles.readCertificates(state.nationalRoot()).get(0);
            assertThat(r.finding("vk.com", "untrusted-issuer").at("/evidence/presentedIssuer").asText()).isEqualTo("C=KZ, CN=Security Certificate");
            assertThat(r.finding("vk.com", "untrusted-issuer").at("/evidence/clientTrust").asText()).contains("Qaznet Trust Network");
            assertThat(r.finding("vk.com", "vantage-mismatch").at("/evidence/leafSpkiVantage").asText())
                    .as("the vantage point saw the genuine key").isEqualTo(Fingerprint.spkiOf(genuine).sha256Hex());
            assertThat(r.finding("vk.com", "vantage-mismatch").at("/evidence/pathVantage").asText()).contains("vantage.lab");
            assertThat(r.finding("vk.com", "sni-differential").at("/evidence/sni=vk.com").asText()).isEqualTo("C=KZ, CN=Security Certificate");
            assertThat(r.finding("vk.com", "sni-differential").at("/evidence/sni=halykbank.kz").asText()).contains("Lab Web Trust TLS RSA CA");
            assertThat(r.finding("vk.com", "sni-differential").at("/evidence/no sni").asText()).contains("Lab Web Trust TLS RSA CA");
            assertThat(r.finding("vk.com", "known-interception-root").at("/evidence/spkiSha256").asText())
                    .as("the lab's own national root, read from the state directory").isEqualTo(Fingerprint.spkiOf(nationalRoot).sha256Hex());
            assertThat(r.finding("vk.com", "known-interception-root").at("/evidence/listed").asText()).contains("national-root.pem");
            assertThat(r.finding("vk.com", "not-in-ct-log").at("/evidence/loggedFor(vk.com)").asText())
                    .contains(Fingerprint.of(genuine).sha256Hex());
            assertThat(r.finding("vk.com", "not-in-ct-log").at("/evidence/leafSha256").asText())
                    .isEqualTo(r.host("vk.com").at("/presented/sha256").asText());
            assertThat(r.finding("vk.com", "pin-mismatch").at("/evidence/pinned").asText())
                    .contains("sha256/" + Fingerprint.spkiOf(genuineIssuingCa("vk.com")).base64());
            assertThat(r.finding("vk.com", "tell-rsa-exponent-3").at("/evidence/publicExponent").asText()).isEqualTo("3");
            assertThat(r.finding("vk.com", "tell-missing-extensions").at("/evidence/missing").asText())
                    .isEqualTo("authorityInfoAccess, cRLDistributionPoints, certificatePolicies");
            assertThat(r.finding("vk.com", "tell-validity-start").at("/evidence/shift").asText()).isEqualTo("PT-6H");
            assertThat(r.finding("vk.com", "tell-serial-near-genuine").at("/evidence/serialVantage").asText())
                    .isEqualToIgnoringCase(genuine.getSerialNumber().toString(16));
            assertThat(r.host("vk.com").path("silent").toString()).as("the 2019 chain is as long as the genuine one")
                    .contains("tell-short-chain");
            for (JsonNode f : r.host("vk.com").path("findings")) {
                assertThat(f.path("meaning").asText()).as("one sentence for %s", f.path("detector")).endsWith(".").doesNotContain("\n");
            }
        }

        @Test
        void aMachineThatRefusedTheRootSeesTheSameProofs() {
            DetectCli.Result r = DetectCli.detect(state, "vk.com", "--trust", state.publicRoots().toString(), "--json");
            assertThat(r.exit()).isEqualTo(10);
            assertThat(r.finding("vk.com", "untrusted-issuer").at("/evidence/clientTrust").asText()).startsWith("not accepted either");
            assertThat(r.finding("vk.com", "known-interception-root").at("/evidence/position").asText())
                    .as("no installed root to build a path to: the presented intermediate is on the list").isEqualTo("presented chain[1]");
            assertThat(r.finding("vk.com", "known-interception-root").at("/evidence/listed").asText()).contains("Security Certificate");
            assertThat(r.detectorsThatFired("vk.com")).contains("vantage-mismatch", "sni-differential", "not-in-ct-log", "pin-mismatch");
        }

        @Test
        void aControlNameIsGenuineAndExitsZero() {
            DetectCli.Result r = DetectCli.detect(state, "halykbank.kz", "github.com");
            assertThat(r.exit()).as("stdout: %s\nstderr: %s", r.out(), r.err()).isEqualTo(0);
            assertThat(r.out()).contains("halykbank.kz  GENUINE", "github.com  GENUINE", "0 intercepted, 2 genuine");
        }

        @Test
        void theTextReportGivesVerdictFindingsEvidenceAndOneSentenceEach() {
            DetectCli.Result r = DetectCli.detect(state, "mail.ru");
            assertThat(r.exit()).isEqualTo(10);
            assertThat(r.out()).contains("mail.ru  INTERCEPTED", "[high] untrusted-issuer: The chain presented for mail.ru",
                    "presentedIssuer", "C=KZ, CN=Security Certificate", "[hint] tell-rsa-exponent-3", "exit 10: interception found");
        }

        @Test
        void theDirectVantageSeesTheSameGenuineKey() {
            DetectCli.Result r = DetectCli.detect(state, "twitter.com", "--vantage", "DIRECT", "--json");
            assertThat(r.exit()).isEqualTo(10);
            JsonNode v = r.finding("twitter.com", "vantage-mismatch");
            assertThat(v.at("/evidence/pathVantage").asText()).contains("direct from this process");
            assertThat(v.at("/evidence/leafSpkiVantage").asText()).isEqualTo(Fingerprint.spkiOf(genuineLeaf("twitter.com")).sha256Hex());
        }

        @Test
        void tlsStraightToTheProxyIsExaminedLikeATransparentBox() {
            String box = "127.0.0.1:" + lab.proxyAddress().getPort();
            DetectCli.Result r = DetectCli.detect(state, "vk.com", "kaspi.kz", "--connect", box, "--json");
            assertThat(r.exit()).isEqualTo(10);
            assertThat(r.host("vk.com").at("/path/kind").asText()).isEqualTo("connect");
            assertThat(r.host("vk.com").path("verdict").asText()).isEqualTo("intercepted");
            assertThat(r.detectorsThatFired("vk.com")).contains("sni-differential", "known-interception-root");
            assertThat(r.host("kaspi.kz").path("verdict").asText()).isEqualTo("genuine");
        }
    }

    @Nested
    class ExitCodes {
        @Test
        void anUnreachablePathCannotTell() throws Exception {
            DetectCli.Result r = DetectCli.detect(state, "vk.com", "--proxy", "127.0.0.1:" + closedPort(), "--json");
            assertThat(r.exit()).as("could not tell").isEqualTo(11);
            assertThat(r.host("vk.com").path("verdict").asText()).isEqualTo("inconclusive");
            assertThat(r.host("vk.com").path("observationError").asText()).contains("nothing listens");
        }

        @Test
        void usageErrorsAreTwo() {
            DetectCli.Result none = DetectCli.detect(state);
            assertThat(none.exit()).isEqualTo(2);
            none.assertOneLineError();
            assertThat(none.err()).contains("--all");
            DetectCli.Result both = DetectCli.detect(state, "vk.com", "--proxy", "127.0.0.1:1", "--connect", "127.0.0.1:2");
            assertThat(both.exit()).isEqualTo(2);
            assertThat(DetectCli.detect(state, "vk.com", "--all").exit()).isEqualTo(2);
            assertThat(DetectCli.detect(state, "vk.com", "--no-such-flag").exit()).isEqualTo(2);
        }

        @Test
        void userErrorsAreThreeWithOneLine() {
            DetectCli.Result missing = DetectCli.detect(state, "vk.com", "--trust", tmp.resolve("nope.pem").toString());
            assertThat(missing.exit()).isEqualTo(3);
            missing.assertOneLineError();
            assertThat(missing.err()).contains("nope.pem");
            DetectCli.Result publicAddress = DetectCli.detect(state, "vk.com", "--proxy", "8.8.8.8:8080");
            assertThat(publicAddress.exit()).isEqualTo(3);
            assertThat(publicAddress.err()).contains("public address");
            for (String notAnAddress : List.of("proxy.example:443", "cafe:8080", "127.1:8080")) {
                DetectCli.Result name = DetectCli.detect(state, "vk.com", "--connect", notAnAddress);
                assertThat(name.exit()).as("--connect %s", notAnAddress).isEqualTo(3);
                assertThat(name.err()).contains("give an IP address");
            }
            DetectCli.Result badHost = DetectCli.detect(state, "not a host");
            assertThat(badHost.exit()).isEqualTo(3);
            DetectCli.Result badVantage = DetectCli.detect(state, "vk.com", "--vantage", "ftp://127.0.0.1/");
            assertThat(badVantage.exit()).isEqualTo(3);
        }

        @Test
        void noRunningLabIsFour() {
            DetectCli.Result r = DetectCli.detect(new StateDir(tmp.resolve("empty")), "vk.com");
            assertThat(r.exit()).isEqualTo(4);
            r.assertOneLineError();
            assertThat(r.err()).contains("mitmlab up");
        }

        @Test
        void helpNamesEveryOptionAndTheExitCodes() {
            DetectCli.Result r = DetectCli.detect(state, "--help");
            assertThat(r.exit()).isEqualTo(0);
            assertThat(r.out().replaceAll("\\s+", " ")).contains("--all", "--json", "--proxy", "--connect", "--trust", "--vantage",
                    "10 interception found", "11 could not tell");
        }
    }

    @Nested
    class AGenericInterceptor {
        @Test
        void isCaughtByTheSameDetectorsWithOtherHeuristicTells() throws Exception {
            GenericForgery forgery = GenericForgery.of(genuineLeaf("vk.com"), new SecureRandom());
            Path trust = tmp.resolve("installed-generic.pem");
            List<X509Certificate> installed = new ArrayList<>(PemFiles.readCertificates(state.publicRoots()));
            installed.add(forgery.ca());
            PemFiles.writeCertificates(trust, installed);
            try (GenericInterceptorServer box = new GenericInterceptorServer(forgery)) {
                DetectCli.Result r = DetectCli.detect(state, "vk.com", "--connect", "127.0.0.1:" + box.port(), "--trust", trust.toString(), "--json");
                assertThat(r.exit()).as("stderr: %s", r.err()).isEqualTo(10);
                assertThat(r.host("vk.com").path("verdict").asText()).isEqualTo("intercepted");
                assertThat(r.detectorsThatFired("vk.com")).as("proofs and hints").containsExactlyInAnyOrder(
                        "untrusted-issuer", "vantage-mismatch", "not-in-ct-log", "pin-mismatch",
                        "tell-missing-extensions", "tell-short-chain", "tell-validity-start");
                assertThat(r.finding("vk.com", "untrusted-issuer").at("/evidence/presentedIssuer").asText())
                        .isEqualTo("CN=Generic Inspection CA, O=Example Networks");
                assertThat(r.finding("vk.com", "tell-short-chain").at("/evidence/chainLengthHere").asText()).isEqualTo("1");
                assertThat(r.finding("vk.com", "pin-mismatch").at("/evidence/chainKeys").asText()).contains("Generic Inspection CA");
                assertThat(r.host("vk.com").path("silent").toString()).as("a root on no list; a box that answers every name alike; e = 65537;"
                        + " a random serial").contains("known-interception-root", "sni-differential", "tell-rsa-exponent-3",
                                "tell-serial-near-genuine");
            }
        }
    }

    @Nested
    class LabServices {
        private final InetSocketAddress labHttp = lab.originHttpAddress();
        private final ObjectMapper json = new ObjectMapper();

        @Test
        void theVantageServiceReturnsTheGenuineChain() throws Exception {
            LabHttp.Response r = LabHttp.get(labHttp, VantageService.HOST, "/vantage?host=vk.com", Duration.ofSeconds(10));
            assertThat(r.status()).isEqualTo(200);
            JsonNode body = json.readTree(r.body());
            assertThat(body.path("error").isNull()).isTrue();
            List<X509Certificate> chain = new ArrayList<>();
            body.path("chain").forEach(p -> chain.addAll(PemFiles.parseCertificates(p.asText())));
            assertThat(chain).as("what the origin serves, never the proxy's forgery")
                    .isEqualTo(PemFiles.readCertificates(state.sites().resolve("vk.com.pem")));
        }

        @Test
        void theVantageServiceRefusesNamesOutsideTheLab() throws Exception {
            LabHttp.Response r = LabHttp.get(labHttp, VantageService.HOST, "/vantage?host=example.org", Duration.ofSeconds(10));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("not a site of the simulated Internet");
        }

        @Test
        void theCtLogHoldsEveryGenuineCertificateAndNothingElse() throws Exception {
            CtLogClient ct = new CtLogClient(labHttp, WebPki.CT_LOG_HOST, Duration.ofSeconds(10));
            for (String host : List.of("vk.com", "www.facebook.com", "halykbank.kz")) {
                var lookup = ct.lookup(host);
                assertThat(lookup.answered()).as("answer for %s: %s", host, lookup.failure()).isTrue();
                assertThat(lookup.entries()).extracting(e -> e.sha256().sha256Hex()).as("logged for %s", host)
                        .contains(Fingerprint.of(genuineLeaf(host)).sha256Hex());
            }
            assertThat(ct.lookup("example.org").entries()).isEmpty();
            LabHttp.Response bad = LabHttp.get(labHttp, WebPki.CT_LOG_HOST, "/ct/v1/entries", Duration.ofSeconds(10));
            assertThat(bad.status()).isEqualTo(400);
        }

        @Test
        void theLabWroteLabJsonThatDetectReads() {
            assertThat(Files.exists(state.labInfo())).isTrue();
        }
    }
}
