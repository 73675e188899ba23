package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * (2) Censored Planet's outside comparison: the same host seen from a vantage point whose path does
 * not cross the suspected box. A different leaf key or issuer means the certificate was replaced on
 * the way. Keys, not whole certificates, are compared, so a renewal with the same key stays silent.
 */
final class VantageComparisonDetector implements Detector {
    static final String NAME = "vantage-mismatch";

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
        return "the leaf key and issuer match what a vantage point outside the path sees";
    }

    @Override
    public Outcome inspect(HostObservations host, ReferenceData reference) {
        Optional<TlsObservation> vantage = Vantages.usable(host);
        if (vantage.isEmpty()) {
            return Outcome.skipped(Vantages.whyNot(host));
        }
        X509Certificate here = host.primary().leaf().orElseThrow();
        X509Certificate there = vantage.get().leaf().orElseThrow();
        boolean sameKey = CertificateFacts.spki(here).equals(CertificateFacts.spki(there));
        boolean sameIssuer = CertificateFacts.issuer(here).equals(CertificateFacts.issuer(there));
        if (sameKey && sameIssuer) {
            return Outcome.silent();
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("leafSpkiHere", CertificateFacts.spki(here).sha256Hex());
        evidence.put("leafSpkiVantage", CertificateFacts.spki(there).sha256Hex());
        evidence.put("issuerHere", CertificateFacts.issuer(here));
        evidence.put("issuerVantage", CertificateFacts.issuer(there));
        evidence.put("pathHere", host.primary().path().description());
        evidence.put("pathVantage", vantage.get().path().description());
        String what = !sameKey && !sameIssuer ? "a different key from a different issuer" : !sameKey ? "a different key" : "a different issuer";
        String meaning = "A vantage point whose path avoids this one received " + what + " for " + host.host()
                + " than this path did, so something on this path replaced the site's certificate.";
        return Outcome.fired(new Finding(NAME, Severity.HIGH, evidence, meaning, false));
    }
}
