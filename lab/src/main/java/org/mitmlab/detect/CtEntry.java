package org.mitmlab.detect;

import java.time.Instant;
import java.util.Objects;
import org.mitmlab.pki.Fingerprint;

/**
 * One certificate a Certificate Transparency log holds for a name.
 *
 * @param sha256    fingerprint of the logged certificate
 * @param issuer    its issuer DN
 * @param notBefore its validity start
 */
public record CtEntry(Fingerprint sha256, String issuer, Instant notBefore) {
    public CtEntry {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(notBefore, "notBefore");
    }
}
