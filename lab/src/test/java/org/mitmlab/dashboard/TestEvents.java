package org.mitmlab.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.ConnectionClosed;
import org.mitmlab.event.ConnectionFailed;
import org.mitmlab.event.ConnectionOpened;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.HeaderField;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.event.Refused;

/** Flow events written by hand, one factory per type, on a clock that ticks a millisecond per event. */
final class TestEvents {
    private Instant now = Instant.parse("2026-03-01T12:00:00Z");

    private Instant tick() {
        now = now.plusMillis(1);
        return now;
    }

    ConnectionOpened opened(String flow, String client) {
        return new ConnectionOpened(flow, tick(), client, "127.0.0.1:8080");
    }

    DecisionMade decided(String flow, String sni, Decision decision) {
        return new DecisionMade(flow, tick(), sni, sni + ":443", List.of("h2", "http/1.1"), decision,
                sni + " " + decision.label());
    }

    CertificateForged forged(String flow, String sni) {
        return new CertificateForged(flow, tick(), sni, "CN=" + sni, "CN=Lab Web Trust TLS RSA CA 2026",
                "CN=Security Certificate,C=KZ", "aa".repeat(32), "bb".repeat(32), "kz-2019", false, 12.5, "", "");
    }

    HttpExchange exchange(String flow, String host, String method, String path, int status, Map<String, String> form) {
        return new HttpExchange(flow, tick(), "HTTP/2", method, "https", host, path, status, form.isEmpty() ? 0 : 30, 1234,
                List.of(new HeaderField(":method", method), new HeaderField("cookie", "sid=abc; theme=dark"),
                        new HeaderField("content-type", form.isEmpty() ? "text/plain" : "application/x-www-form-urlencoded")),
                List.of(new HeaderField(":status", Integer.toString(status)), new HeaderField("content-type", "text/html"),
                        new HeaderField("set-cookie", "session=xyz; Path=/; HttpOnly")),
                form, "<html>hello</html>", 4.5);
    }

    ClientRejectedCertificate rejected(String flow, String sni, String client) {
        return new ClientRejectedCertificate(flow, tick(), sni, client, "unknown_ca",
                "the client does not trust the national root for " + sni);
    }

    Refused refused(String flow, String client, String destination) {
        return new Refused(flow, tick(), client, destination, destination + " is outside the lab");
    }

    ConnectionFailed failed(String flow, String stage) {
        return new ConnectionFailed(flow, tick(), stage, "connection refused");
    }

    ConnectionClosed closed(String flow, long bytesToClient) {
        return new ConnectionClosed(flow, tick(), 500, bytesToClient, 20);
    }
}
