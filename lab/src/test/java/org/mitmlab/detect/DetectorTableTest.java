package org.mitmlab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mitmlab.pki.Fingerprint;

/**
 * Every detector on a table of hosts: the 2019 box's forgery (through a machine that installed the
 * national root), a generic interceptor's forgery, the real 2019 chain, and genuine sites. Each
 * detector has at least one firing row with its evidence asserted and one silent row.
 */
class DetectorTableTest {
    enum Expect { FIRES, SILENT, SKIPPED }

    record Row(Detector detector, String situation, Function<DetectFixtures, HostObservations> observations, Expect expect,
            Function<DetectFixtures, Map<String, String>> evidence) {
        @Override
        public String toString() {
            return detector.name() + " " + expect.name().toLowerCase(java.util.Locale.ROOT) + " on " + situation;
        }
    }

    static Row fires(Detector d, String situation, Function<DetectFixtures, HostObservations> o,
            Function<DetectFixtures, Map<String, String>> evidence) {
        return new Row(d, situation, o, Expect.FIRES, evidence);
    }

    static Row silent(Detector d, String situation, Function<DetectFixtures, HostObservations> o) {
        return new Row(d, situation, o, Expect.SILENT, f -> Map.of());
    }

    static Row skipped(Detector d, String situation, Function<DetectFixtures, HostObservations> o, String reason) {
        return new Row(d, situation, o, Expect.SKIPPED, f -> Map.of("reason", reason));
    }

    private static final String KZ_INTERMEDIATE = "C=KZ, CN=Security Certificate";
    private static final String LAB_CA = "C=US, O=Lab Web Trust, CN=Lab Web Trust TLS RSA CA 2026";

    static Stream<Row> table() {
        return Stream.of(
                // (1) untrusted issuer
                fires(Detectors.untrustedIssuer(), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "presentedIssuer", KZ_INTERMEDIATE,
                        "clientTrust", "accepted, through the installed root C=KZ, CN=Qaznet Trust Network",
                        "leafSha256", Fingerprint.of(f.kzForgedTarget.get(0)).sha256Hex())),
                fires(Detectors.untrustedIssuer(), "a generic forgery", DetectFixtures::genericIntercepted, f -> Map.of(
                        "presentedIssuer", "CN=Generic Inspection CA, O=Example Networks")),
                silent(Detectors.untrustedIssuer(), "a control site", DetectFixtures::controlGenuine),
                silent(Detectors.untrustedIssuer(), "the baseline", DetectFixtures::targetGenuine),
                // (2) vantage comparison
                fires(Detectors.vantageMismatch(), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "leafSpkiHere", Fingerprint.spkiOf(f.kzForgedTarget.get(0)).sha256Hex(),
                        "leafSpkiVantage", Fingerprint.spkiOf(f.genuineTarget.get(0)).sha256Hex(),
                        "issuerHere", KZ_INTERMEDIATE,
                        "issuerVantage", LAB_CA)),
                fires(Detectors.vantageMismatch(), "a generic forgery", DetectFixtures::genericIntercepted, f -> Map.of(
                        "issuerHere", "CN=Generic Inspection CA, O=Example Networks")),
                silent(Detectors.vantageMismatch(), "a control site", DetectFixtures::controlGenuine),
                skipped(Detectors.vantageMismatch(), "no vantage path", f -> f.primaryOnly(f.kzForgedTarget), "no vantage path"),
                // (3) SNI differential
                fires(Detectors.sniDifferential(), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "sni=vk.com", KZ_INTERMEDIATE,
                        "sni=rcku.kz", LAB_CA,
                        "no sni", LAB_CA)),
                silent(Detectors.sniDifferential(), "a control site", DetectFixtures::controlGenuine),
                silent(Detectors.sniDifferential(), "a generic box that forges every name alike", DetectFixtures::genericIntercepted),
                skipped(Detectors.sniDifferential(), "no variants", f -> f.primaryOnly(f.kzForgedTarget), "no neutral-SNI"),
                // (4) known interception roots
                fires(Detectors.knownInterceptionRoot(), "the 2019 forgery (the lab's root, as the anchor)", DetectFixtures::kzIntercepted,
                        f -> Map.of("listed", "this lab's national root",
                                "spkiSha256", Fingerprint.spkiOf(f.national.root().certificate()).sha256Hex(),
                                "position", "root the client's trust store accepted it through")),
                fires(Detectors.knownInterceptionRoot(), "the real 2019 rcku.kz chain", f -> f.primaryOnly(DetectFixtures.realKz2019Chain()),
                        f -> Map.of("spkiSha256", "7f53a139b5316a26389fe00ec8bea6cae5fafc6f97615a238fee7bf508948b2c",
                                "certificate", KZ_INTERMEDIATE, "position", "presented chain[1]")),
                silent(Detectors.knownInterceptionRoot(), "a control site", DetectFixtures::controlGenuine),
                silent(Detectors.knownInterceptionRoot(), "a generic forgery by a root on no list", DetectFixtures::genericIntercepted),
                // (5) Certificate Transparency
                fires(Detectors.notInCtLog(), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "leafSha256", Fingerprint.of(f.kzForgedTarget.get(0)).sha256Hex(),
                        "loggedFor(vk.com)", Fingerprint.of(f.genuineTarget.get(0)).sha256Hex())),
                fires(Detectors.notInCtLog(), "a generic forgery", DetectFixtures::genericIntercepted, f -> Map.of(
                        "leafSha256", Fingerprint.of(f.genericTarget.leaf()).sha256Hex())),
                silent(Detectors.notInCtLog(), "a control site", DetectFixtures::controlGenuine),
                skipped(Detectors.notInCtLog(), "no CT lookup", f -> f.primaryOnly(f.kzForgedTarget), "no Certificate Transparency log"),
                // (6) pins
                fires(Detectors.pinMismatch(), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "pinned", "sha256/" + Fingerprint.spkiOf(f.genuineTarget.get(1)).base64(),
                        "chainKeys", "sha256/" + Fingerprint.spkiOf(f.national.root().certificate()).base64() + " (C=KZ, CN=Qaznet Trust Network)")),
                fires(Detectors.pinMismatch(), "a generic forgery", DetectFixtures::genericIntercepted, f -> Map.of(
                        "chainKeys", "Generic Inspection CA")),
                silent(Detectors.pinMismatch(), "a control site", DetectFixtures::controlGenuine),
                silent(Detectors.pinMismatch(), "the baseline", DetectFixtures::targetGenuine),
                // (7) forgery tells (heuristics)
                fires(tell(ForgeryTells.RsaExponent3.NAME), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "publicExponent", "3", "key", "RSA-2048")),
                fires(tell(ForgeryTells.RsaExponent3.NAME), "the real 2019 rcku.kz leaf", f -> f.primaryOnly(DetectFixtures.realKz2019Chain()),
                        f -> Map.of("publicExponent", "3")),
                silent(tell(ForgeryTells.RsaExponent3.NAME), "a generic forgery (e = 65537)", DetectFixtures::genericIntercepted),
                silent(tell(ForgeryTells.RsaExponent3.NAME), "a control site", DetectFixtures::controlGenuine),
                fires(tell(ForgeryTells.MissingExtensions.NAME), "the 2019 forgery", DetectFixtures::kzIntercepted, f -> Map.of(
                        "missing", "authorityInfoAccess, cRLDistributionPoints, certificatePolicies",
                        "comparedWith", "the vantage point's leaf")),
                fires(tell(ForgeryTells.MissingExtensions.NAME), "a generic forgery, without a vantage leaf",
                        f -> f.primaryOnly(f.genericTarget.chain()), f -> Map.of(
                                "missing", "authorityInfoAccess, certificatePolicies", "comparedWith", "no vantage leaf")),
                silent(tell(ForgeryTells.MissingExtensions.NAME), "a control site", DetectFixtures::controlGenuine),
                fires(tell(ForgeryTells.ShortChain.NAME), "a generic forgery (no intermediate)", DetectFixtures::genericIntercepted, f -> Map.of(
                        "chainLengthHere", "1", "chainLengthVantage", "2", "chainHere", "CN=vk.com")),
                silent(tell(ForgeryTells.ShortChain.NAME), "the 2019 forgery (leaf + intermediate, as long as the genuine chain)",
                        DetectFixtures::kzIntercepted),
                silent(tell(ForgeryTells.ShortChain.NAME), "a control site", DetectFixtures::controlGenuine),
                fires(tell(ForgeryTells.ValidityStart.NAME), "the 2019 forgery (minus 6 hours)", DetectFixtures::kzIntercepted, f -> Map.of(
                        "shift", "PT-6H",
                        "notBeforeVantage", f.genuineTarget.get(0).getNotBefore().toInstant().toString())),
                fires(tell(ForgeryTells.ValidityStart.NAME), "a generic forgery (starts now)", DetectFixtures::genericIntercepted, f -> Map.of(
                        "notBeforeHere", f.genericTarget.leaf().getNotBefore().toInstant().toString())),
                silent(tell(ForgeryTells.ValidityStart.NAME), "a control site", DetectFixtures::controlGenuine),
                fires(tell(ForgeryTells.SerialNearGenuine.NAME), "the 2019 forgery (genuine + below 2^32)", DetectFixtures::kzIntercepted, f -> Map.of(
                        "serialVantage", f.genuineTarget.get(0).getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT),
                        "difference", "0x")),
                silent(tell(ForgeryTells.SerialNearGenuine.NAME), "a generic forgery (random serial)", DetectFixtures::genericIntercepted),
                silent(tell(ForgeryTells.SerialNearGenuine.NAME), "a control site", DetectFixtures::controlGenuine));
    }

    private static Detector tell(String name) {
        return Detectors.forgeryTells().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void detectorBehavesAsTheTableSays(Row row) {
        DetectFixtures f = DetectFixtures.get();
        Outcome outcome = row.detector().inspect(row.observations().apply(f), f.reference);
        Map<String, String> expected = row.evidence().apply(f);
        switch (row.expect()) {
            case FIRES -> {
                assertThat(outcome).as("%s", row).isInstanceOf(Outcome.Fired.class);
                Finding finding = ((Outcome.Fired) outcome).finding();
                assertThat(finding.detector()).isEqualTo(row.detector().name());
                assertThat(finding.heuristic()).as("heuristic flag of %s", row.detector().name()).isEqualTo(row.detector().heuristic());
                assertThat(finding.meaning()).as("one sentence").endsWith(".").doesNotContain("\n");
                expected.forEach((key, value) -> assertThat(finding.evidence())
                        .as("evidence %s of %s: %s", key, row, finding.evidence()).containsKey(key)
                        .extractingByKey(key).asString().contains(value));
            }
            case SILENT -> assertThat(outcome).as("%s", row).isInstanceOf(Outcome.Silent.class);
            case SKIPPED -> {
                assertThat(outcome).as("%s", row).isInstanceOf(Outcome.Skipped.class);
                assertThat(((Outcome.Skipped) outcome).reason()).contains(expected.get("reason"));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void everyDetectorHasAFiringAndASilentRow() {
        List<Row> rows = table().toList();
        for (Detector d : Detectors.all()) {
            assertThat(rows).as("rows of %s", d.name())
                    .anyMatch(r -> r.detector().name().equals(d.name()) && r.expect() == Expect.FIRES)
                    .anyMatch(r -> r.detector().name().equals(d.name()) && r.expect() == Expect.SILENT);
        }
    }
}
