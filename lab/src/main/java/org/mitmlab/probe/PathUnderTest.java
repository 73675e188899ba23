package org.mitmlab.probe;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.mitmlab.detect.ObservationPath;

/**
 * The path a student's machine takes, which detect examines: an explicit proxy ({@code --proxy},
 * the embedded lab's default) or TLS sent straight to a box ({@code --connect}, a transparent set-up).
 *
 * @param viaProxy true: CONNECT through {@code address}; false: TLS straight to it
 * @param address  the proxy or the box
 */
public record PathUnderTest(boolean viaProxy, InetSocketAddress address) {
    public PathUnderTest {
        Objects.requireNonNull(address, "address");
    }

    public static PathUnderTest proxy(InetSocketAddress proxy) {
        return new PathUnderTest(true, proxy);
    }

    public static PathUnderTest connect(InetSocketAddress box) {
        return new PathUnderTest(false, box);
    }

    public ObservationPath description() {
        String hostPort = address.getAddress().getHostAddress() + ":" + address.getPort();
        return viaProxy ? ObservationPath.proxy(hostPort) : ObservationPath.connect(hostPort);
    }

    /** One handshake for {@code host} on this path, sending {@code sni} (none when null). */
    ChainFetcher.Fetched fetch(ChainFetcher fetcher, String host, String sni) {
        return viaProxy ? fetcher.viaProxy(address, host, sni) : fetcher.direct(address, sni);
    }
}
