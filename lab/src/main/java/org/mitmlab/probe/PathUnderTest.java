package org.mitmlab.probe;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.mitmlab.detect.ObservationPath;

/**
 * The path a student's machine takes, which detect examines: an explicit proxy ({@code --proxy},
 * the embedded lab's default), TLS sent straight to a box ({@code --connect}, a transparent set-up),
 * or TLS to each site's own address, as the machine's operating system would send it (the Docker
 * lab's client, where the isp redirects it on the way).
 *
 * @param mode    which of the three
 * @param address the proxy or the box; null for {@link Mode#DIRECT}
 * @param sites   each site's address; null unless {@link Mode#DIRECT}
 */
public record PathUnderTest(Mode mode, InetSocketAddress address, SiteAddresses sites) {
    public PathUnderTest {
        Objects.requireNonNull(mode, "mode");
        if ((mode == Mode.DIRECT) != (sites != null) || (mode == Mode.DIRECT) == (address != null)) {
            throw new IllegalArgumentException(mode + " takes " + (mode == Mode.DIRECT ? "site addresses" : "one address"));
        }
    }

    /** The kinds of path. */
    public enum Mode {
        PROXY,
        CONNECT,
        DIRECT
    }

    public static PathUnderTest proxy(InetSocketAddress proxy) {
        return new PathUnderTest(Mode.PROXY, proxy, null);
    }

    public static PathUnderTest connect(InetSocketAddress box) {
        return new PathUnderTest(Mode.CONNECT, box, null);
    }

    /** Each host at its own address from {@code sites}, with nothing configured in between. */
    public static PathUnderTest direct(SiteAddresses sites) {
        return new PathUnderTest(Mode.DIRECT, null, sites);
    }

    public ObservationPath description() {
        return switch (mode) {
            case PROXY -> ObservationPath.proxy(hostPort(address));
            case CONNECT -> ObservationPath.connect(hostPort(address));
            case DIRECT -> ObservationPath.direct("TLS " + sites.description() + ", as this machine's operating system sends it");
        };
    }

    /** One handshake for {@code host} on this path, sending {@code sni} (none when null). */
    ChainFetcher.Fetched fetch(ChainFetcher fetcher, String host, String sni) {
        return switch (mode) {
            case PROXY -> fetcher.viaProxy(address, host, sni);
            case CONNECT -> fetcher.direct(address, sni);
            case DIRECT -> sites.addressOf(host).map(a -> fetcher.direct(a, sni))
                    .orElseGet(() -> ChainFetcher.Fetched.failed(host + " has no address: " + sites.description()));
        };
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
