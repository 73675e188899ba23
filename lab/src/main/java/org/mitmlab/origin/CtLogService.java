package org.mitmlab.origin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mitmlab.domains.HostNames;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.SiteCredential;

/**
 * The lab's simulated Certificate Transparency log: it holds every genuine certificate the lab's
 * public CA issued (the credentials the simulated Internet serves), indexed by the DNS names of
 * their SANs, and answers a crt.sh-style lookup. Real logs speak RFC 6962 (Merkle trees, signed
 * timestamps); this keeps only what a student checks: "is the certificate I was shown logged?"
 *
 * <pre>
 * GET /ct/v1/entries?name=vk.com
 * 200 {"log": "Lab Web Trust CT log", "name": "vk.com",
 *      "entries": [{"sha256": ..., "issuer": ..., "subject": ..., "serial": ..., "notBefore": ..., "notAfter": ...}]}
 * </pre>
 */
public final class CtLogService implements PlainHttpService {
    public static final String LOG_NAME = "Lab Web Trust CT log";
    public static final String ENTRIES_PATH = "/ct/v1/entries";

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<X509Certificate>> byName = new TreeMap<>();

    public CtLogService(Collection<SiteCredential> logged) {
        for (SiteCredential c : logged) {
            for (String name : dnsNames(c.leaf())) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(c.leaf());
            }
        }
    }

    @Override
    public CompletionStage<SiteResponse> respond(String method, String pathAndQuery) {
        return CompletableFuture.completedFuture(answer(method, pathAndQuery));
    }

    SiteResponse answer(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (!path.equals(ENTRIES_PATH)) {
            return error(404, "no such endpoint; ask GET " + ENTRIES_PATH + "?name=HOST");
        }
        if (!method.equals("GET")) {
            return error(405, "use GET");
        }
        Optional<String> name = Optional.ofNullable(q < 0 ? null : query(pathAndQuery.substring(q + 1), "name"))
                .flatMap(HostNames::normalize);
        if (name.isEmpty()) {
            return error(400, "name=HOST is missing or not a DNS name");
        }
        ObjectNode body = json.createObjectNode();
        body.put("log", LOG_NAME);
        body.put("name", name.get());
        ArrayNode entries = body.putArray("entries");
        for (X509Certificate c : byName.getOrDefault(name.get(), List.of())) {
            ObjectNode e = entries.addObject();
            e.put("sha256", Fingerprint.of(c).sha256Hex());
            e.put("issuer", c.getIssuerX500Principal().getName());
            e.put("subject", c.getSubjectX500Principal().getName());
            e.put("serial", c.getSerialNumber().toString(16));
            e.put("notBefore", c.getNotBefore().toInstant().toString());
            e.put("notAfter", c.getNotAfter().toInstant().toString());
        }
        return SiteResponse.json(200, body.toString());
    }

    private SiteResponse error(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error", message);
        return SiteResponse.json(status, body.toString());
    }

    static String query(String query, String key) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(key)) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<String> dnsNames(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        HostNames.normalize(String.valueOf(san.get(1))).ifPresent(out::add);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a certificate the lab issued always parses; nothing to index if not
        }
        return out;
    }
}
