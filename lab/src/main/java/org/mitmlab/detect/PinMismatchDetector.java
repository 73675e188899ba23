package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mitmlab.pki.Fingerprint;

/**
 * (6) Pinning, as mobile apps and the old browser static pins did it: at least one key of the chain
 * (the presented certificates and the root the client built the path to) must be one of the site's
 * pinned CA keys. An installed national root satisfies the trust store but not the pin.
 */
final class PinMismatchDetector implements Detector {
    static final String NAME = "pin-mismatch";

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
        return "a key of the chain is one of the site's pinned CA keys";
    }

    @Override
    public Outcome inspect(HostObservations host, ReferenceData reference) {
        Set<Fingerprint> pins = reference.pins().pinsFor(host.host());
        if (pins.isEmpty()) {
            return Outcome.skipped("no pins are known for " + host.host());
        }
        TlsObservation seen = host.primary();
        List<X509Certificate> keys = new ArrayList<>(seen.chain());
        seen.clientTrust().anchorCertificate().ifPresent(keys::add);
        if (keys.stream().map(CertificateFacts::spki).anyMatch(pins::contains)) {
            return Outcome.silent();
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("pinned", pins.stream().map(p -> "sha256/" + p.base64()).sorted().collect(Collectors.joining(", ")));
        evidence.put("chainKeys", keys.stream().map(c -> "sha256/" + CertificateFacts.spki(c).base64() + " (" + CertificateFacts.subject(c) + ")")
                .collect(Collectors.joining(", ")));
        String meaning = "No key in the chain for " + host.host() + " is one of the site's pinned CA keys, so an app that pins "
                + host.host() + " would refuse this connection" + (seen.clientTrust().trusted()
                        ? " even though this machine's trust store accepts it." : ".");
        return Outcome.fired(new Finding(NAME, Severity.HIGH, evidence, meaning, false));
    }
}
