package org.mitmlab.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A lab site's genuine certificate, its key, and the chain the site sends (leaf first, then the
 * issuing CA; the root is not sent, as on the real Web).
 */
public record SiteCredential(String name, List<X509Certificate> chain, PrivateKey key) {
    public SiteCredential {
        Objects.requireNonNull(name, "name");
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty chain for " + name);
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "SiteCredential[" + name + ", " + leaf().getSubjectX500Principal().getName() + "]";
    }
}
