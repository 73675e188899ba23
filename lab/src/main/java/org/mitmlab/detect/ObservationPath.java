package org.mitmlab.detect;

import java.util.Locale;
import java.util.Objects;

/**
 * Which way a TLS observation travelled: the path under test (through an explicit proxy, TLS sent
 * straight to a box, or TLS to the site's own address with nothing configured in between) or the
 * comparison path from a vantage point that does not cross it.
 *
 * @param kind        proxy, connect, direct or vantage
 * @param description where exactly, for students ("proxy 127.0.0.1:8080", "vantage service http://vantage.lab/vantage")
 */
public record ObservationPath(Kind kind, String description) {
    public ObservationPath {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
    }

    /** {@code CONNECT host:443} through an explicit proxy, then TLS inside the tunnel. */
    public static ObservationPath proxy(String hostPort) {
        return new ObservationPath(Kind.PROXY, "proxy " + hostPort);
    }

    /** TLS straight to an address (a transparent box, or a port that routes by SNI). */
    public static ObservationPath connect(String hostPort) {
        return new ObservationPath(Kind.CONNECT, "TLS straight to " + hostPort);
    }

    /** TLS to the site's own address, as an operating system sends it (a transparent box may sit on the way). */
    public static ObservationPath direct(String description) {
        return new ObservationPath(Kind.DIRECT, description);
    }

    /** A comparison path that does not cross the suspected box. */
    public static ObservationPath vantage(String description) {
        return new ObservationPath(Kind.VANTAGE, description);
    }

    @Override
    public String toString() {
        return description;
    }

    /** The kinds of path. */
    public enum Kind {
        PROXY,
        CONNECT,
        DIRECT,
        VANTAGE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
