package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Whether a presented chain leads to a root of one trust bundle.
 *
 * @param trusted  true when a path to a root of the bundle was built
 * @param anchor   the root the path ends at (null when untrusted)
 * @param problem  why no path was found (null when trusted)
 */
public record Validation(boolean trusted, X509Certificate anchor, String problem) {
    public Validation {
        if (trusted && anchor == null) {
            throw new IllegalArgumentException("a trusted chain has an anchor");
        }
        if (!trusted && (problem == null || problem.isBlank())) {
            throw new IllegalArgumentException("an untrusted chain has a problem");
        }
    }

    public static Validation trustedBy(X509Certificate anchor) {
        return new Validation(true, anchor, null);
    }

    public static Validation untrusted(String problem) {
        return new Validation(false, null, problem);
    }

    public Optional<X509Certificate> anchorCertificate() {
        return Optional.ofNullable(anchor);
    }
}
