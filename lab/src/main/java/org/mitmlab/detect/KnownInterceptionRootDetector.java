package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mitmlab.pki.Fingerprint;

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
        TlsObservation seen = host.primary();
        for (Candidate c : candidates(seen)) {
            Fingerprint spki = CertificateFacts.spki(c.certificate());
            Optional<KnownRoots.KnownRoot> known = reference.knownRoots().find(spki);
            if (known.isPresent()) {
                Map<String, String> evidence = new LinkedHashMap<>();
                evidence.put("listed", known.get().name());
                evidence.put("spkiSha256", spki.sha256Hex());
                evidence.put("certificate", CertificateFacts.subject(c.certificate()));
                evidence.put("position", c.position());
                evidence.put("source", known.get().source());
                String meaning = "The chain for " + host.host() + " runs through " + CertificateFacts.subject(c.certificate())
                        + ", whose key is on the list of known interception roots (" + known.get().name()
                        + "), the hash browsers block it by.";
                return Outcome.fired(new Finding(NAME, Severity.HIGH, evidence, meaning, false));
            }
        }
        return Outcome.silent();
    }

    private static List<Candidate> candidates(TlsObservation seen) {
        List<Candidate> out = new ArrayList<>();
        List<X509Certificate> chain = seen.chain();
        for (int i = 0; i < chain.size(); i++) {
            if (CertificateFacts.isCa(chain.get(i))) {
                out.add(new Candidate(chain.get(i), "presented chain[" + i + "]"));
            }
        }
        seen.clientTrust().anchorCertificate().ifPresent(a -> out.add(new Candidate(a, "root the client's trust store accepted it through")));
        return out;
    }

    private record Candidate(X509Certificate certificate, String position) {
    }
}
