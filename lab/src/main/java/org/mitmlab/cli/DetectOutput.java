package org.mitmlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mitmlab.detect.CertificateFacts;
import org.mitmlab.detect.Finding;
import org.mitmlab.detect.HostReport;
import org.mitmlab.detect.ReportJson;
import org.mitmlab.detect.Verdict;

/** How {@code mitmlab detect} prints its reports: a readable block per host, or JSON. */
final class DetectOutput {
    private final PrintWriter out;

    DetectOutput(PrintWriter out) {
        this.out = out;
    }

    void json(List<HostReport> reports, int exitCode, String path, String vantage, Path trust) {
        ObjectNode root = new ReportJson().toJson(reports);
        root.put("exitCode", exitCode);
        root.put("pathUnderTest", path);
        root.put("vantage", vantage);
        root.put("clientTrust", trust.toString());
        out.println(root.toPrettyString());
        out.flush();
    }

    void text(List<HostReport> reports, int exitCode, String path, String vantage, Path trust) {
        out.println("Checked " + reports.size() + " host(s) through " + path + ", as a machine trusting " + trust.getFileName()
                + "; compared with " + vantage + ".");
        for (HostReport r : reports) {
            out.println();
            host(r);
        }
        out.println();
        long intercepted = count(reports, Verdict.INTERCEPTED);
        long genuine = count(reports, Verdict.GENUINE);
        long inconclusive = count(reports, Verdict.INCONCLUSIVE);
        out.println("Summary: " + intercepted + " intercepted, " + genuine + " genuine, " + inconclusive + " inconclusive (exit "
                + exitCode + ": " + (exitCode == ExitCodes.INTERCEPTION_FOUND ? "interception found"
                        : exitCode == ExitCodes.INCONCLUSIVE ? "could not tell for some hosts" : "nothing found") + ").");
        out.flush();
    }

    private void host(HostReport r) {
        long hints = r.findings().stream().filter(Finding::heuristic).count();
        String counts = r.findings().isEmpty() ? r.silent().size() + " detectors silent"
                : (r.findings().size() - hints) + " finding(s), " + hints + " hint(s)";
        out.println(r.host() + "  " + r.verdict().name() + "  (" + counts + ")");
        if (r.primary().observed()) {
            X509Certificate leaf = r.primary().leaf().orElseThrow();
            out.println("  presented  " + CertificateFacts.subject(leaf) + ", issued by " + CertificateFacts.issuer(leaf)
                    + " (chain of " + r.primary().chain().size() + ", sha256 " + CertificateFacts.sha256(leaf).sha256Hex().substring(0, 16) + "...)");
        } else {
            out.println("  not observed: " + r.primary().failure());
        }
        for (Finding f : r.findings()) {
            out.println("  [" + (f.heuristic() ? "hint" : f.severity().label()) + "] " + f.detector() + ": " + f.meaning());
            int width = f.evidence().keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, String> e : f.evidence().entrySet()) {
                out.println(String.format(Locale.ROOT, "        %-" + width + "s  %s", e.getKey(), e.getValue()));
            }
        }
        if (r.primary().observed()) {
            r.skipped().forEach((d, why) -> out.println("  [skipped] " + d + ": " + why));
        }
    }

    private static long count(List<HostReport> reports, Verdict v) {
        return reports.stream().filter(r -> r.verdict() == v).count();
    }
}
