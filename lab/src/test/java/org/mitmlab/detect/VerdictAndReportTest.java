package org.mitmlab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict rule, the whole registry on each situation, and the JSON form. */
class VerdictAndReportTest {
    private final DetectFixtures f = DetectFixtures.get();

    @Test
    void theTwentyNineteenForgeryIsInterceptedWithFourHeuristicTells() {
        HostReport r = Detectors.run(f.kzIntercepted(), f.reference);
        assertThat(r.verdict()).isEqualTo(Verdict.INTERCEPTED);
        assertThat(names(r.findings(), false)).containsExactlyInAnyOrder("untrusted-issuer", "vantage-mismatch", "sni-differential",
                "known-interception-root", "not-in-ct-log", "pin-mismatch");
        assertThat(names(r.findings(), true)).containsExactlyInAnyOrder("tell-rsa-exponent-3", "tell-missing-extensions",
                "tell-validity-start", "tell-serial-near-genuine");
        assertThat(r.skipped()).isEmpty();
        assertThat(r.findings().get(0).heuristic()).as("proofs are listed before hints").isFalse();
    }

    @Test
    void aGenericInterceptorIsCaughtByTheSameDetectorsWithOtherTells() {
        HostReport r = Detectors.run(f.genericIntercepted(), f.reference);
        assertThat(r.verdict()).isEqualTo(Verdict.INTERCEPTED);
        assertThat(names(r.findings(), false)).as("a root on no list and a box that forges every name: those two stay silent")
                .containsExactlyInAnyOrder("untrusted-issuer", "vantage-mismatch", "not-in-ct-log", "pin-mismatch");
        assertThat(names(r.findings(), true)).containsExactlyInAnyOrder("tell-missing-extensions", "tell-short-chain", "tell-validity-start");
        assertThat(r.silent()).contains("known-interception-root", "sni-differential", "tell-rsa-exponent-3", "tell-serial-near-genuine");
    }

    @Test
    void genuineSitesGetNoFindingAtAllAndEveryDetectorRan() {
        for (HostObservations o : List.of(f.controlGenuine(), f.targetGenuine())) {
            HostReport r = Detectors.run(o, f.reference);
            assertThat(r.findings()).as("findings for %s", o.host()).isEmpty();
            assertThat(r.skipped()).as("skipped for %s", o.host()).isEmpty();
            assertThat(r.silent()).hasSize(Detectors.all().size());
            assertThat(r.verdict()).isEqualTo(Verdict.GENUINE);
        }
    }

    @Test
    void nothingObservedIsInconclusiveAndSkipsEveryDetector() {
        TlsObservation failed = TlsObservation.failed("vk.com", DetectFixtures.PROXY, "vk.com", "connection refused", Instant.now());
        HostReport r = Detectors.run(HostObservations.of(failed), f.reference);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.skipped()).hasSize(Detectors.all().size()).allSatisfy((d, why) -> assertThat(why).contains("connection refused"));
    }

    @Test
    void onlyHeuristicFindingsAreInconclusive() {
        Finding hint = new Finding("tell-rsa-exponent-3", Severity.LOW, Map.of(), "A hint.", true);
        assertThat(Verdict.decide(f.kzIntercepted().primary(), List.of(hint))).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Verdict.decide(f.kzIntercepted().primary(), List.of())).isEqualTo(Verdict.GENUINE);
    }

    @Test
    void jsonCarriesVerdictEvidenceAndWhatWasSkipped() {
        HostReport intercepted = Detectors.run(f.kzIntercepted(), f.reference);
        HostReport genuine = Detectors.run(HostObservations.of(f.seen("halykbank.kz", DetectFixtures.PROXY, "halykbank.kz",
                f.genuineControl, f.installedNational)), f.reference);
        JsonNode json = new ReportJson().toJson(List.of(intercepted, genuine));
        assertThat(json.at("/summary/intercepted").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/genuine").asInt()).isEqualTo(1);
        JsonNode vk = json.at("/hosts/0");
        assertThat(vk.at("/verdict").asText()).isEqualTo("intercepted");
        assertThat(vk.at("/path/kind").asText()).isEqualTo("proxy");
        assertThat(vk.at("/presented/issuer").asText()).isEqualTo("C=KZ, CN=Security Certificate");
        assertThat(vk.at("/findings/0/evidence/presentedIssuer").asText()).isEqualTo("C=KZ, CN=Security Certificate");
        assertThat(vk.at("/findings/0/heuristic").asBoolean()).isFalse();
        assertThat(json.at("/hosts/1/skipped/vantage-mismatch").asText()).isEqualTo("no vantage path was configured");
    }

    @Test
    void distinguishedNamesReadInCertificateOrder() {
        assertThat(CertificateFacts.issuer(f.kzForgedTarget.get(0))).isEqualTo("C=KZ, CN=Security Certificate");
        assertThat(CertificateFacts.subject(DetectFixtures.realQaznetRoot())).isEqualTo("C=KZ, CN=Qaznet Trust Network");
    }

    @Test
    void onlyPublicNamesAreExpectedInCt() {
        assertThat(CertificateTransparencyDetector.isPublicName("vk.com")).isTrue();
        assertThat(CertificateTransparencyDetector.isPublicName("mail.google.com")).isTrue();
        assertThat(CertificateTransparencyDetector.isPublicName("pki.webtrust.lab")).isFalse();
        assertThat(CertificateTransparencyDetector.isPublicName("localhost")).isFalse();
        assertThat(CertificateTransparencyDetector.isPublicName("127.0.0.1")).isFalse();
        assertThat(CertificateTransparencyDetector.isPublicName("printer.local")).isFalse();
    }

    private static List<String> names(List<Finding> findings, boolean heuristic) {
        return findings.stream().filter(x -> x.heuristic() == heuristic).map(Finding::detector).toList();
    }
}
