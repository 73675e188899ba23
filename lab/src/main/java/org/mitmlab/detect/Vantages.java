package org.mitmlab.detect;

import java.util.Optional;

/** The vantage observation, when there is one with a chain; shared by every detector that compares with it. */
final class Vantages {
    private Vantages() {
    }

    static Optional<TlsObservation> usable(HostObservations host) {
        return host.vantage().filter(TlsObservation::observed);
    }

    static String whyNot(HostObservations host) {
        return host.vantage().map(v -> "the vantage point saw no certificate for " + host.host() + ": " + v.failure())
                .orElse("no vantage path was configured");
    }
}
