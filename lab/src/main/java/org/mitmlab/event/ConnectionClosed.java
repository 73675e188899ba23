package org.mitmlab.event;

import java.time.Instant;

/**
 * A flow ended.
 *
 * @param bytesFromClient  bytes received from the client (TLS records or plain bytes)
 * @param bytesToClient    bytes sent to the client
 */
public record ConnectionClosed(String flowId, Instant time, long bytesFromClient, long bytesToClient,
        double durationMillis) implements FlowEvent {
}
