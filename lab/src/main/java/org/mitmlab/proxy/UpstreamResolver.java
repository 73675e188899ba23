package org.mitmlab.proxy;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a lab name into the socket address the proxy connects to. A future that fails with
 * {@link DestinationRefusedException} means "outside the lab": the proxy refuses, never connects.
 */
public interface UpstreamResolver {
    CompletableFuture<InetSocketAddress> resolve(String host, int port);

    /** True when {@code host} may be routed to at all (checked before any DNS lookup). */
    boolean mayRoute(String host);

    /** A destination the proxy must not connect to; the message is shown to the student. */
    final class DestinationRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DestinationRefusedException(String message) {
            super(message, null, false, false);
        }
    }
}
