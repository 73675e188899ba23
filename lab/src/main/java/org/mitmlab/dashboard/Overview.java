package org.mitmlab.dashboard;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.event.Refused;
import org.mitmlab.pki.Fingerprint;

/**
 * What the lab has done so far, per domain and over time: the dashboard's overview. Counts
 * connections (flows), each under its final decision; a flow with a {@code refused} event counts as
 * refused. Of the intercepted flows, a client <em>accepted</em> the forged certificate when it then
 * sent a request, and <em>refused</em> it when it aborted the handshake (a user without the
 * national root); the rest are undecided (still open, or closed without a request).
 *
 * @param nationalRoot the root students install or refuse, with the fingerprint to compare
 * @param totals       over all flows ({@code rejected} is part of {@code intercepted})
 * @param clients      intercepted flows by what the client did with the forged certificate
 * @param domains      one line per name, the busiest first
 * @param timeline     flows per time bucket, by outcome (the buckets of one chart; a flow counts once)
 */
public record Overview(NationalRoot nationalRoot, Totals totals, Clients clients, List<DomainCounts> domains,
        Timeline timeline) {

    public record NationalRoot(String subject, String sha256, String notBefore, String notAfter) {
        static NationalRoot of(X509Certificate root) {
            return root == null ? null : new NationalRoot(root.getSubjectX500Principal().getName(),
                    Fingerprint.of(root).colonHex(), root.getNotBefore().toInstant().toString(),
                    root.getNotAfter().toInstant().toString());
        }
    }

    public record Totals(int flows, int intercepted, int passedThrough, int refused, int plainHttp, int rejected,
            int requests, int formsCaptured) {
    }

    public record Clients(int accepted, int refused, int undecided) {
    }

    public record DomainCounts(String domain, boolean targeted, int intercepted, int passedThrough, int refused,
            int plainHttp, int rejected, int accepted, int requests) {
    }

    /** Flows per bucket; {@code intercepted} here excludes the flows whose client rejected the certificate. */
    public record Bucket(Instant start, int intercepted, int rejected, int passedThrough, int refused, int plainHttp) {
    }

    public record Timeline(long bucketSeconds, List<Bucket> buckets) {
    }

    /** Bucket widths the timeline may use, so that a chart has at most {@value #MAX_BUCKETS} bars. */
    private static final long[] STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400};
    static final int MAX_BUCKETS = 60;

    /** What the overview remembers of one flow. */
    private static final class Flow {
        Instant decidedAt;
        Decision decision;
        String domain;
        boolean rejected;
        int requests;
        int forms;
    }

    public static Overview of(List<FlowEvent> events, Predicate<String> targeted, X509Certificate nationalRoot, Instant now) {
        Map<String, Flow> flows = new LinkedHashMap<>();
        for (FlowEvent e : events) {
            if (e instanceof DecisionMade d) {
                Flow f = flows.computeIfAbsent(d.flowId(), id -> new Flow());
                if (f.decidedAt == null) {
                    f.decidedAt = d.time();
                }
                if (f.decision != Decision.REFUSE) {
                    f.decision = d.decision();
                }
                String name = d.sni() != null ? d.sni() : FlowRows.hostOf(d.destination());
                if (name != null) {
                    f.domain = name;
                }
            } else if (e instanceof Refused r) {
                Flow f = flows.computeIfAbsent(r.flowId(), id -> new Flow());
                f.decision = Decision.REFUSE;
                if (f.decidedAt == null) {
                    f.decidedAt = r.time();
                }
                if (f.domain == null) {
                    f.domain = FlowRows.hostOf(r.destination());
                }
            } else if (e instanceof ClientRejectedCertificate r) {
                Flow f = flows.computeIfAbsent(r.flowId(), id -> new Flow());
                f.rejected = true;
                if (f.decision == null) {
                    f.decision = Decision.INTERCEPT;
                    f.decidedAt = r.time();
                }
                if (f.domain == null) {
                    f.domain = r.sni();
                }
            } else if (e instanceof HttpExchange x) {
                Flow f = flows.computeIfAbsent(x.flowId(), id -> new Flow());
                f.requests++;
                if (!x.formFields().isEmpty()) {
                    f.forms++;
                }
                if (f.decision == null) {
                    f.decision = "http".equals(x.scheme()) ? Decision.PLAIN_HTTP : Decision.INTERCEPT;
                    f.decidedAt = x.time();
                }
                if (f.domain == null) {
                    f.domain = x.host();
                }
            }
        }
        flows.values().removeIf(f -> f.decision == null);

        int intercepted = 0;
        int passed = 0;
        int refused = 0;
        int plain = 0;
        int rejected = 0;
        int requests = 0;
        int forms = 0;
        int accepted = 0;
        Map<String, int[]> perDomain = new HashMap<>();
        for (Flow f : flows.values()) {
            int[] c = perDomain.computeIfAbsent(f.domain == null ? "(no name)" : f.domain, k -> new int[7]);
            requests += f.requests;
            forms += f.forms;
            c[6] += f.requests;
            switch (f.decision) {
                case INTERCEPT -> {
                    intercepted++;
                    c[0]++;
                    if (f.rejected) {
                        rejected++;
                        c[4]++;
                    } else if (f.requests > 0) {
                        accepted++;
                        c[5]++;
                    }
                }
                case PASS_THROUGH -> {
                    passed++;
                    c[1]++;
                }
                case REFUSE -> {
                    refused++;
                    c[2]++;
                }
                case PLAIN_HTTP -> {
                    plain++;
                    c[3]++;
                }
            }
        }
        List<DomainCounts> domains = new ArrayList<>();
        perDomain.forEach((name, c) -> domains.add(new DomainCounts(name, targeted.test(name), c[0], c[1], c[2], c[3], c[4],
                c[5], c[6])));
        domains.sort(Comparator.comparingInt((DomainCounts d) -> -(d.intercepted() + d.passedThrough() + d.refused() + d.plainHttp()))
                .thenComparing(DomainCounts::domain));
        return new Overview(NationalRoot.of(nationalRoot),
                new Totals(flows.size(), intercepted, passed, refused, plain, rejected, requests, forms),
                new Clients(accepted, rejected, intercepted - accepted - rejected), List.copyOf(domains),
                timeline(flows.values(), now));
    }

    private static Timeline timeline(Iterable<Flow> flows, Instant now) {
        Instant first = null;
        for (Flow f : flows) {
            if (first == null || f.decidedAt.isBefore(first)) {
                first = f.decidedAt;
            }
        }
        if (first == null) {
            return new Timeline(STEPS[0], List.of());
        }
        Instant last = now.isAfter(first) ? now : first;
        long span = last.getEpochSecond() - first.getEpochSecond() + 1;
        long step = STEPS[STEPS.length - 1];
        for (long s : STEPS) {
            if (span / s < MAX_BUCKETS) {
                step = s;
                break;
            }
        }
        long start = Math.floorDiv(first.getEpochSecond(), step) * step;
        int n = (int) Math.min(MAX_BUCKETS + 1, (last.getEpochSecond() - start) / step + 1);
        int[][] counts = new int[n][5];
        for (Flow f : flows) {
            int i = (int) Math.min(n - 1, (f.decidedAt.getEpochSecond() - start) / step);
            int series = switch (f.decision) {
                case INTERCEPT -> f.rejected ? 1 : 0;
                case PASS_THROUGH -> 2;
                case REFUSE -> 3;
                case PLAIN_HTTP -> 4;
            };
            counts[i][series]++;
        }
        List<Bucket> buckets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] c = counts[i];
            buckets.add(new Bucket(Instant.ofEpochSecond(start + i * step), c[0], c[1], c[2], c[3], c[4]));
        }
        return new Timeline(step, List.copyOf(buckets));
    }
}
