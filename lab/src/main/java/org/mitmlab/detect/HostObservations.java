package org.mitmlab.detect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything observed about one host, the input of every {@link Detector}.
 *
 * @param host        the name asked about
 * @param primary     the handshake on the path under test, with the host as SNI
 * @param sniVariants handshakes on the same path and to the same address with an unrelated SNI and
 *                    with none (the SNI differential); may be empty
 * @param vantage     the same host seen from a vantage point that does not cross the path under test
 * @param ct          what a Certificate Transparency log holds for the host
 */
public record HostObservations(String host, TlsObservation primary, List<TlsObservation> sniVariants,
        Optional<TlsObservation> vantage, Optional<CtLookup> ct) {
    public HostObservations {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(primary, "primary");
        sniVariants = List.copyOf(sniVariants);
        Objects.requireNonNull(vantage, "vantage");
        Objects.requireNonNull(ct, "ct");
    }

    /** Only the path under test: no variants, no vantage, no CT (for tests and partial runs). */
    public static HostObservations of(TlsObservation primary) {
        return new HostObservations(primary.host(), primary, List.of(), Optional.empty(), Optional.empty());
    }

    public HostObservations withVantage(TlsObservation observation) {
        return new HostObservations(host, primary, sniVariants, Optional.of(observation), ct);
    }

    public HostObservations withSniVariants(List<TlsObservation> variants) {
        return new HostObservations(host, primary, variants, vantage, ct);
    }

    public HostObservations withCt(CtLookup lookup) {
        return new HostObservations(host, primary, sniVariants, vantage, Optional.of(lookup));
    }
}
