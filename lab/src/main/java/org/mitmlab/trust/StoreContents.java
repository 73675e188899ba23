package org.mitmlab.trust;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Everything one trust store holds, as read just now. */
public record StoreContents(StoreKind kind, Path location, List<InstalledCertificate> certificates) {
    public StoreContents {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        certificates = List.copyOf(certificates);
    }
}
