package org.mitmlab.event;

import java.time.Instant;

/** The proxy refused a destination (outside the lab, wrong port, no SNI); it never relays there. */
public record Refused(String flowId, Instant time, String client, String destination, String reason) implements FlowEvent {
}
