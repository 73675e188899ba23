package org.mitmlab.event;

import java.time.Instant;

/**
 * Someone asked the lab's vantage service (the probe server "abroad") what a host's certificate
 * looks like from outside: evidence that a student ran the outside-vantage comparison.
 *
 * @param host    the host asked about
 * @param outcome "ok" or why the vantage could not fetch it
 */
public record VantageQueried(String flowId, Instant time, String host, String outcome) implements FlowEvent {
}
