package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One TLS handshake as a client saw it: which host it meant, the path it took, the SNI it sent,
 * the chain the other end presented, and whether that chain leads to a public root and to a root
 * the client trusts. A handshake that produced no chain has a {@code failure} instead.
 *
 * @param host        the name the client meant (the CONNECT host, or the site asked about)
 * @param path        how the handshake travelled
 * @param sni         the server name sent in the ClientHello, or null when none was sent
 * @param chain       the presented chain, leaf first (empty on failure)
 * @param publicTrust the chain checked against the public root store
 * @param clientTrust the chain checked against what the client trusts
 * @param failure     why nothing was observed (null when a chain was)
 * @param at          when
 */
public record TlsObservation(String host, ObservationPath path, String sni, List<X509Certificate> chain,
        Validation publicTrust, Validation clientTrust, String failure, Instant at) {
    public TlsObservation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        chain = List.copyOf(chain);
        Objects.requireNonNull(publicTrust, "publicTrust");
        Objects.requireNonNull(clientTrust, "clientTrust");
        Objects.requireNonNull(at, "at");
        if (chain.isEmpty() == (failure == null)) {
            throw new IllegalArgumentException("an observation has either a chain or a failure");
        }
    }

    /** A completed handshake; both validations are computed here (pure). */
    public static TlsObservation seen(String host, ObservationPath path, String sni, List<X509Certificate> chain,
            TrustBundles trust, Instant at) {
        return new TlsObservation(host, path, sni, chain, ChainValidation.validate(chain, trust.publicRoots(), at),
                ChainValidation.validate(chain, trust.clientRoots(), at), null, at);
    }

    /** A handshake that showed no certificate (refused, unreachable, alert). */
    public static TlsObservation failed(String host, ObservationPath path, String sni, String failure, Instant at) {
        Validation none = Validation.untrusted("nothing was observed");
        return new TlsObservation(host, path, sni, List.of(), none, none, failure, at);
    }

    public boolean observed() {
        return failure == null;
    }

    public Optional<X509Certificate> leaf() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    /** "sni=vk.com" or "no sni": how the handshake named its server. */
    public String sniLabel() {
        return sni == null ? "no sni" : "sni=" + sni;
    }
}
