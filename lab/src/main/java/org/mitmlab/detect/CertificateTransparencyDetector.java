package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mitmlab.domains.HostNames;
import org.mitmlab.pki.Fingerprint;

/**
 * (5) Certificate Transparency: public CAs log every certificate they issue for a public name; a
 * leaf for such a name that no log holds was not issued by a public CA. The lab's log holds every
 * genuine lab certificate (docs/detectors.md explains the simulated log).
 */
final class CertificateTransparencyDetector implements Detector {
    static final String NAME = "not-in-ct-log";
    /** Suffixes that are never public names: private CAs issue for them and never log. */
    private static final Set<String> PRIVATE_SUFFIXES = Set.of("lab", "local", "localhost", "internal", "test", "invalid",
            "example", "lan", "home", "corp", "arpa");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean heuristic() {
        return false;
    }

    @Override
    public String checks() {
        return "the leaf presented for a public name is in the Certificate Transparency log";
    }

    @Override
    public Outcome inspect(HostObservations host, ReferenceData reference) {
        if (!isPublicName(host.host())) {
            return Outcome.skipped(host.host() + " is not a public DNS name; private CAs do not log");
        }
        if (host.ct().isEmpty()) {
            return Outcome.skipped("no Certificate Transparency log was asked");
        }
        CtLookup lookup = host.ct().get();
        if (!lookup.answered()) {
            return Outcome.skipped("the CT log " + lookup.log() + " did not answer: " + lookup.failure());
        }
        X509Certificate leaf = host.primary().leaf().orElseThrow();
        Fingerprint presented = CertificateFacts.sha256(leaf);
        if (lookup.entries().stream().anyMatch(e -> e.sha256().equals(presented))) {
            return Outcome.silent();
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("leafSha256", presented.sha256Hex());
        evidence.put("leafIssuer", CertificateFacts.issuer(leaf));
        evidence.put("log", lookup.log());
        evidence.put("loggedFor" + "(" + lookup.name() + ")", lookup.entries().isEmpty() ? "none"
                : lookup.entries().stream().map(e -> e.sha256().sha256Hex() + " (" + e.issuer() + ")").collect(Collectors.joining(", ")));
        String meaning = "The certificate presented for " + host.host() + " is in no Certificate Transparency log, although public CAs log"
                + " every certificate for a public name, so it was issued outside the public PKI.";
        return Outcome.fired(new Finding(NAME, Severity.MEDIUM, evidence, meaning, false));
    }

    /** A DNS name under a public suffix: has a dot, is not an address, does not end in a private-use label. */
    static boolean isPublicName(String host) {
        return HostNames.normalize(host)
                .filter(n -> n.contains("."))
                .filter(n -> !n.matches("[0-9.]+"))
                .filter(n -> !PRIVATE_SUFFIXES.contains(n.substring(n.lastIndexOf('.') + 1)))
                .isPresent();
    }
}
