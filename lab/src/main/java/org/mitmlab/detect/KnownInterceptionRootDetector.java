package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * (4) The way browsers blocked the Qaznet root: the SPKI SHA-256 of every CA in the chain, and of
 * the root the client built the path to, against the list of known interception keys.
 */
final class KnownInterceptionRootDetector implements Detector {
    static final String NAME = "known-interception-root";

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
        return "no CA key of the chain (or of the root it leads to) is a known interception key";
    }

    @Override
    public Outcome inspect(HostObservations host, ReferenceData reference) {
        List<Match> matches = new ArrayList<>();
        for (Candidate c : candidates(host.primary())) {
            reference.knownRoots().find(CertificateFacts.spki(c.certificate())).ifPresent(k -> matches.add(new Match(c, k)));
        }
        if (matches.isEmpty()) {
            return Outcome.silent();
        }
        Match first = matches.get(0);
        X509Certificate cert = first.candidate().certificate();
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("listed", first.known().name());
        evidence.put("spkiSha256", first.known().spki().sha256Hex());
        evidence.put("certificate", CertificateFacts.subject(cert));
        evidence.put("position", first.candidate().position());
        evidence.put("source", first.known().source());
        if (matches.size() > 1) {
            evidence.put("alsoListed", matches.subList(1, matches.size()).stream()
                    .map(m -> CertificateFacts.subject(m.candidate().certificate()) + " (" + m.candidate().position() + ")")
                    .collect(Collectors.joining(", ")));
        }
        String meaning = "The chain for " + host.host() + " runs through " + CertificateFacts.subject(cert)
                + ", whose key is on the list of known interception roots (" + first.known().name()
                + "), the hash browsers block it by.";
        return Outcome.fired(new Finding(NAME, Severity.HIGH, evidence, meaning, false));
    }

    /** The root the client built the path to first, then the presented CA certificates from the top down. */
    private static List<Candidate> candidates(TlsObservation seen) {
        List<Candidate> out = new ArrayList<>();
        seen.clientTrust().anchorCertificate().ifPresent(a -> out.add(new Candidate(a, "root the client's trust store accepted it through")));
        List<X509Certificate> chain = seen.chain();
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (CertificateFacts.isCa(chain.get(i))) {
                out.add(new Candidate(chain.get(i), "presented chain[" + i + "]"));
            }
        }
        return out;
    }

    private record Match(Candidate candidate, KnownRoots.KnownRoot known) {
    }

    private record Candidate(X509Certificate certificate, String position) {
    }
}
