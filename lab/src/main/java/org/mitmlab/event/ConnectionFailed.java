package org.mitmlab.event;

import java.time.Instant;

/**
 * Something went wrong with a flow that is neither a refusal nor a client rejecting our certificate.
 *
 * @param stage  where: "client-hello", "upstream-connect", "upstream-tls", "forge", "relay", ...
 */
public record ConnectionFailed(String flowId, Instant time, String stage, String message) implements FlowEvent {
}
