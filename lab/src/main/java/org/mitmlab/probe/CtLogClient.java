package org.mitmlab.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.mitmlab.detect.CertificateFacts;
import org.mitmlab.detect.CtEntry;
import org.mitmlab.detect.CtLookup;
import org.mitmlab.pki.Fingerprint;

/**
 * Asks the lab's simulated CT log ({@code GET /ct/v1/entries?name=NAME} at {@code ct.webtrust.lab}
 * on the simulated Internet's plain-HTTP listener) which certificates it holds for a name.
 */
public final class CtLogClient {
    public static final String ENTRIES_PATH = "/ct/v1/entries";

    private final InetSocketAddress address;
    private final String logHost;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public CtLogClient(InetSocketAddress address, String logHost, Duration timeout) {
        this.address = address;
        this.logHost = logHost;
        this.timeout = timeout;
    }

    public CtLookup lookup(String name) {
        String log = "http://" + logHost + ENTRIES_PATH;
        try {
            LabHttp.Response r = LabHttp.get(address, logHost, ENTRIES_PATH + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), timeout);
            JsonNode body = json.readTree(r.body());
            if (r.status() != 200) {
                return CtLookup.failed(log, name, "answered " + r.status() + ": " + body.path("error").asText(r.body()));
            }
            List<CtEntry> entries = new ArrayList<>();
            for (JsonNode e : body.path("entries")) {
                entries.add(new CtEntry(new Fingerprint(e.path("sha256").asText()),
                        CertificateFacts.name(new X500Principal(e.path("issuer").asText())), Instant.parse(e.path("notBefore").asText())));
            }
            return CtLookup.answered(body.path("log").asText(log) + " (" + log + ")", name, entries);
        } catch (IOException | RuntimeException e) {
            return CtLookup.failed(log, name, "cannot ask the CT log at " + address + ": " + e.getMessage());
        }
    }
}
