package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * (1) The chain does not lead to a root of the public trust store: what a user who refused the
 * national root saw in 2019 as a certificate error. Named by the issuer that was presented.
 */
final class UntrustedIssuerDetector implements Detector {
    static final String NAME = "untrusted-issuer";

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
        return "the presented chain leads to a root of the public trust store";
    }

    @Override
    public Outcome inspect(HostObservations host, ReferenceData reference) {
        TlsObservation seen = host.primary();
        if (seen.publicTrust().trusted()) {
            return Outcome.silent();
        }
        X509Certificate leaf = seen.leaf().orElseThrow();
        String issuer = CertificateFacts.issuer(leaf);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("presentedIssuer", issuer);
        evidence.put("leafSubject", CertificateFacts.subject(leaf));
        evidence.put("leafSha256", CertificateFacts.sha256(leaf).sha256Hex());
        evidence.put("publicTrust", seen.publicTrust().problem());
        String acceptedBy = seen.clientTrust().anchorCertificate().map(CertificateFacts::subject).orElse(null);
        evidence.put("clientTrust", acceptedBy == null ? "not accepted either: " + seen.clientTrust().problem()
                : "accepted, through the installed root " + acceptedBy);
        String meaning = acceptedBy == null
                ? "The chain presented for " + host.host() + " was issued by " + issuer
                        + ", which leads to no public root, so a browser shows a certificate error: someone other than the site answered."
                : "The chain presented for " + host.host() + " was issued by " + issuer
                        + ", which leads to no public root, only to " + acceptedBy
                        + ", a root installed on this machine: whoever holds that root answered instead of the site.";
        return Outcome.fired(new Finding(NAME, Severity.HIGH, evidence, meaning, false));
    }
}
