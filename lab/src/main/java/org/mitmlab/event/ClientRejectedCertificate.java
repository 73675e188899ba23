package org.mitmlab.event;

import java.time.Instant;

/**
 * The client aborted the handshake after seeing the forged certificate: in 2019 terms, a user who
 * did not install the national root.
 *
 * @param alert        the TLS alert the client sent ("unknown_ca", "bad_certificate", ...), or
 *                     "closed" when it just hung up
 * @param explanation  the same in a student's words
 */
public record ClientRejectedCertificate(String flowId, Instant time, String sni, String client, String alert,
        String explanation) implements FlowEvent {
}
