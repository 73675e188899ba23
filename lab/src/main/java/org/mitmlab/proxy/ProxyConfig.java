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
 */
public record ProxyConfig(InetSocketAddress listen, List<X509Certificate> upstreamTrust, Duration connectTimeout) {
    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        upstreamTrust = List.copyOf(upstreamTrust);
        if (upstreamTrust.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one upstream trust root");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
}
