package org.mitmlab.trust;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * One trusted certificate in a store.
 *
 * @param entry how the store names it: a keystore alias, an NSS nickname, or "certificate N" in a bundle
 */
public record InstalledCertificate(String entry, X509Certificate certificate) {
    public InstalledCertificate {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(certificate, "certificate");
    }
}
