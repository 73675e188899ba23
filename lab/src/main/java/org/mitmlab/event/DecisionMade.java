package org.mitmlab.event;

import java.time.Instant;
import java.util.List;

/**
 * The proxy read the ClientHello (or the CONNECT line) and decided.
 *
 * @param sni          server name from the ClientHello; null when the client sent none
 * @param destination  where the client wanted to go ("vk.com:443")
 * @param alpnOffered  protocols the client offered ("h2", "http/1.1")
 * @param reason       one sentence a student can read
 */
public record DecisionMade(String flowId, Instant time, String sni, String destination, List<String> alpnOffered,
        Decision decision, String reason) implements FlowEvent {
    public DecisionMade {
        alpnOffered = alpnOffered == null ? List.of() : List.copyOf(alpnOffered);
    }
}
