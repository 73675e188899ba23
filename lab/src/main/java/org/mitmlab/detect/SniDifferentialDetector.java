package org.mitmlab.detect;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * (3) Hyperquack's SNI differential: the same address on the same path, once with the host as SNI,
 * once with an unrelated name and once with none. When only the host's name brings a different
 * issuer, a box is deciding by the name in the ClientHello (the 2019 box reacted to 37 names).
 */
final class SniDifferentialDetector implements Detector {
    static final String NAME = "sni-differential";

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
        return "the issuer stays the same when the ClientHello names another host or none";
    }

    @Override
    public Outcome inspect(HostObservations host, ReferenceData reference) {
        List<TlsObservation> seen = host.sniVariants().stream().filter(TlsObservation::observed).toList();
        if (seen.isEmpty()) {
            return Outcome.skipped(host.sniVariants().isEmpty() ? "no neutral-SNI handshakes were made"
                    : "no neutral-SNI handshake completed on this path: " + host.sniVariants().get(0).failure());
        }
        String issuer = CertificateFacts.issuer(host.primary().leaf().orElseThrow());
        Set<String> neutralIssuers = new LinkedHashSet<>();
        for (TlsObservation v : seen) {
            neutralIssuers.add(CertificateFacts.issuer(v.leaf().orElseThrow()));
        }
        if (neutralIssuers.contains(issuer)) {
            return Outcome.silent();
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put(host.primary().sniLabel(), issuer);
        for (TlsObservation v : host.sniVariants()) {
            evidence.put(v.sniLabel(), v.observed() ? CertificateFacts.issuer(v.leaf().orElseThrow()) : "no answer: " + v.failure());
        }
        evidence.put("sameAddress", host.primary().path().description() + " (host " + host.host() + ")");
        String meaning = "The same address answered with a certificate from " + issuer + " only when the ClientHello named "
                + host.host() + " and from " + String.join(" / ", neutralIssuers)
                + " otherwise, so a box on the path decides by the name you ask for.";
        return Outcome.fired(new Finding(NAME, Severity.MEDIUM, evidence, meaning, false));
    }
}
