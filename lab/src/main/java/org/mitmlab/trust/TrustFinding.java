package org.mitmlab.trust;

import java.nio.file.Path;
import java.util.Objects;
import org.mitmlab.detect.KnownRoots.KnownRoot;
import org.mitmlab.pki.Fingerprint;

/**
 * A known interception CA (or the lab's national root) installed in a trust store.
 *
 * @param kind     the kind of store
 * @param location the store's file or directory
 * @param entry    the store's name for the certificate (alias, nickname, position)
 * @param root     which listed key it is
 */
public record TrustFinding(StoreKind kind, Path location, String entry, KnownRoot root) {
    public TrustFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(root, "root");
    }

    public Fingerprint spki() {
        return root.spki();
    }
}
