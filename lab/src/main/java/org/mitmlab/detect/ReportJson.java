package org.mitmlab.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The one JSON form of detection reports ({@code mitmlab detect --json}), for scripts and grading:
 *
 * <pre>
 * {"summary": {"intercepted": 37, "genuine": 11, "inconclusive": 0},
 *  "hosts": [{"host": "vk.com", "verdict": "intercepted",
 *             "path": {"kind": "proxy", "description": "proxy 127.0.0.1:8080"}, "sni": "vk.com",
 *             "presented": {"subject": ..., "issuer": ..., "sha256": ..., "spkiSha256": ..., "chainLength": 2},
 *             "observationError": null,
 *             "findings": [{"detector": ..., "severity": "high", "heuristic": false, "meaning": ..., "evidence": {...}}],
 *             "silent": [...], "skipped": {"detector": "reason"}}]}
 * </pre>
 */
public final class ReportJson {
    private final ObjectMapper mapper = new ObjectMapper();

    public ObjectNode toJson(List<HostReport> reports) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode summary = root.putObject("summary");
        for (Verdict v : Verdict.values()) {
            summary.put(v.label(), reports.stream().filter(r -> r.verdict() == v).count());
        }
        ArrayNode hosts = root.putArray("hosts");
        for (HostReport r : reports) {
            hosts.add(host(r));
        }
        return root;
    }

    private ObjectNode host(HostReport r) {
        ObjectNode n = mapper.createObjectNode();
        n.put("host", r.host());
        n.put("verdict", r.verdict().label());
        ObjectNode path = n.putObject("path");
        path.put("kind", r.primary().path().kind().label());
        path.put("description", r.primary().path().description());
        n.put("sni", r.primary().sni());
        if (r.primary().observed()) {
            X509Certificate leaf = r.primary().leaf().orElseThrow();
            ObjectNode p = n.putObject("presented");
            p.put("subject", CertificateFacts.subject(leaf));
            p.put("issuer", CertificateFacts.issuer(leaf));
            p.put("sha256", CertificateFacts.sha256(leaf).sha256Hex());
            p.put("spkiSha256", CertificateFacts.spki(leaf).sha256Hex());
            p.put("chainLength", r.primary().chain().size());
            p.put("publiclyTrusted", r.primary().publicTrust().trusted());
            p.put("trustedByClient", r.primary().clientTrust().trusted());
        } else {
            n.putNull("presented");
        }
        n.put("observationError", r.primary().failure());
        ArrayNode findings = n.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode fn = findings.addObject();
            fn.put("detector", f.detector());
            fn.put("severity", f.severity().label());
            fn.put("heuristic", f.heuristic());
            fn.put("meaning", f.meaning());
            ObjectNode ev = fn.putObject("evidence");
            f.evidence().forEach(ev::put);
        }
        ArrayNode silent = n.putArray("silent");
        r.silent().forEach(silent::add);
        ObjectNode skipped = n.putObject("skipped");
        r.skipped().forEach(skipped::put);
        return n;
    }
}
