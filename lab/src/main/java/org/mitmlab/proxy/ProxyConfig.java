package org.mitmlab.proxy;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the proxy needs to know, validated once.
 *
 * @param listen          where clients connect (127.0.0.1 by default)
 * @param upstreamTrust   roots the proxy trusts when it connects to origins (the public bundle)
 * @param connectTimeout  bound on connecting to an origin
 * @param sessionResumption whether clients may resume TLS sessions with the proxy (tickets, session
 *                          cache); off only for benchmarks whose origin resumes nothing either
 */
public record ProxyConfig(InetSocketAddress listen, List<X509Certificate> upstreamTrust, Duration connectTimeout,
        boolean sessionResumption) {
    public ProxyConfig(InetSocketAddress listen, List<X509Certificate> upstreamTrust, Duration connectTimeout) {
        this(listen, upstreamTrust, connectTimeout, true);
    }

    /** The same, with every client handshake a full one. */
    public ProxyConfig withoutSessionResumption() {
        return new ProxyConfig(listen, upstreamTrust, connectTimeout, false);
    }

    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        upstreamTrust = List.copyOf(upstreamTrust);
        if (upstreamTrust.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one upstream trust root");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
}
