package org.mitmlab.event;

import java.time.Instant;

/**
 * The proxy presented a forged certificate for an intercepted name.
 *
 * @param genuineSha256  fingerprint of the certificate the origin really sent
 * @param forgedSha256   fingerprint of the forged leaf the client was sent
 * @param cached         false when this connection's name was minted just now
 * @param mintMillis     time spent minting (0 when cached)
 * @param genuinePem     the genuine leaf, PEM (for certificate comparison)
 * @param forgedPem      the forged leaf, PEM
 */
public record CertificateForged(String flowId, Instant time, String sni, String subject, String genuineIssuer,
        String forgedIssuer, String genuineSha256, String forgedSha256, String profile, boolean cached,
        double mintMillis, String genuinePem, String forgedPem) implements FlowEvent {
}
