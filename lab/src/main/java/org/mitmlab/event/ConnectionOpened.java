package org.mitmlab.event;

import java.time.Instant;

/**
 * A client connected to the proxy.
 *
 * @param client   the client's address ("127.0.0.1:53122")
 * @param listener the address the client connected to
 */
public record ConnectionOpened(String flowId, Instant time, String client, String listener) implements FlowEvent {
}
