package org.mitmlab.probe;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a vantage point (or a client) sends the TLS handshake for a lab site: one listener for every
 * site (the embedded simulated Internet, which picks the site by SNI), or each site's own address
 * from the Docker lab's hosts file, as an operating system would resolve it.
 */
public interface SiteAddresses {
    /** The address to connect to for {@code host}; empty when {@code host} is not a lab site. */
    Optional<InetSocketAddress> addressOf(String host);

    /** How the addresses are found, for reports ("straight to the simulated Internet at 127.0.0.1:8443"). */
    String description();

    /** Every name {@code inside} accepts, at the one listener {@code internet}. */
    static SiteAddresses oneListener(InetSocketAddress internet, Predicate<String> inside) {
        String where = internet.getAddress().getHostAddress() + ":" + internet.getPort();
        return new SiteAddresses() {
            @Override
            public Optional<InetSocketAddress> addressOf(String host) {
                return inside.test(host) ? Optional.of(internet) : Optional.empty();
            }

            @Override
            public String description() {
                return "a direct path to the simulated Internet (" + where + ")";
            }
        };
    }

    /** Each name listed in {@code hosts}, at its own address and {@code port}. */
    static SiteAddresses hostsFile(LabHostsFile hosts, int port) {
        return new SiteAddresses() {
            @Override
            public Optional<InetSocketAddress> addressOf(String host) {
                return hosts.address(host).map(a -> new InetSocketAddress(a, port));
            }

            @Override
            public String description() {
                return "straight to each site's own address (" + hosts.file() + ", port " + port + ")";
            }
        };
    }
}
