package org.mitmlab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/writing-a-detector.md, compiled and run: a detector that checks the leaf's
 * SANs cover the host. The doc's snippet is the code between the tag markers below, and a test
 * checks they are the same.
 */
class WritingADetectorTest {
    // tag::detector[]
    /** The leaf's subjectAltName must cover the host: browsers ignore the CN since 2017. */
    static final class SanCoversHost implements Detector {
        @Override
        public String name() {
            return "san-mismatch";
        }

        @Override
        public boolean heuristic() {
            return false;
        }

        @Override
        public String checks() {
            return "the leaf's subjectAltName covers the host";
        }

        @Override
        public Outcome inspect(HostObservations host, ReferenceData reference) {
            X509Certificate leaf = host.primary().leaf().orElseThrow(); // Detectors.run only calls us when a chain was seen
            List<String> names = dnsNames(leaf);
            if (names.contains(host.host())) {
                return Outcome.silent();
            }
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("host", host.host());
            evidence.put("leafSubject", CertificateFacts.subject(leaf));
            evidence.put("subjectAltNames", names.isEmpty() ? "none" : String.join(", ", names));
            return Outcome.fired(new Finding(name(), Severity.MEDIUM, evidence,
                    "The certificate presented for " + host.host() + " does not name it in its subjectAltName,"
                            + " which no public CA issues and every browser rejects.", false));
        }

        private static List<String> dnsNames(X509Certificate leaf) {
            List<String> names = new ArrayList<>();
            try {
                if (leaf.getSubjectAlternativeNames() != null) {
                    for (List<?> san : leaf.getSubjectAlternativeNames()) {
                        if (Integer.valueOf(2).equals(san.get(0))) { // 2 = dNSName
                            names.add(String.valueOf(san.get(1)));
                        }
                    }
                }
            } catch (CertificateParsingException e) {
                return List.of(); // an unparsable SAN covers nothing
            }
            return names;
        }
    }
    // end::detector[]

    private final DetectFixtures f = DetectFixtures.get();
    private final Detector detector = new SanCoversHost();

    @Test
    void theExampleFiresOnTheGenericForgeryWithItsEvidence() {
        Outcome outcome = detector.inspect(f.genericIntercepted(), f.reference);
        assertThat(outcome).isInstanceOf(Outcome.Fired.class);
        Finding finding = ((Outcome.Fired) outcome).finding();
        assertThat(finding.evidence()).containsEntry("host", "vk.com").containsEntry("subjectAltNames", "none")
                .containsEntry("leafSubject", "CN=vk.com");
    }

    @Test
    void theExampleIsSilentOnGenuineSitesAndOnTheTwentyNineteenCopy() {
        assertThat(detector.inspect(f.controlGenuine(), f.reference)).isInstanceOf(Outcome.Silent.class);
        assertThat(detector.inspect(f.kzIntercepted(), f.reference)).as("the 2019 box copied the SAN byte for byte")
                .isInstanceOf(Outcome.Silent.class);
    }

    @Test
    void theDocShowsExactlyThisCode() throws IOException {
        Path doc = Path.of("..", "docs", "writing-a-detector.md");
        Path self = Path.of("src", "test", "java", "org", "mitmlab", "detect", "WritingADetectorTest.java");
        String source = Files.readString(self, StandardCharsets.UTF_8);
        String tagged = source.substring(source.indexOf("// tag::detector[]\n") + "// tag::detector[]\n".length(),
                source.indexOf("    // end::detector[]"));
        String markdown = Files.readString(doc, StandardCharsets.UTF_8);
        assertThat(markdown).as("docs/writing-a-detector.md holds the tagged code of %s", self).contains(unindent(tagged));
    }

    private static String unindent(String code) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            out.append(line.startsWith("    ") ? line.substring(4) : line).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
