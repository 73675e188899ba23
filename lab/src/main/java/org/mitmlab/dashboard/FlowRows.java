package org.mitmlab.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.ConnectionClosed;
import org.mitmlab.event.ConnectionFailed;
import org.mitmlab.event.ConnectionOpened;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.PhaseChanged;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.event.Refused;

/**
 * Folds flow events into {@link FlowRow}s, the same way for the dashboard and for {@code watch}:
 *
 * <pre>
 * decision intercept / plain-http ─▶ a pending row ─┬─ http-exchange ──────────────▶ the request (method, path, status)
 *                                                   ├─ client-rejected-certificate ▶ outcome "rejected"
 *                                                   ├─ connection-failed ──────────▶ outcome "failed"
 *                                                   └─ connection-closed ──────────▶ outcome "no-request",
 *                                                        until a rejection or failure recorded just after the close says more
 * each further http-exchange ─────▶ one more row
 * decision pass-through ──────────▶ a row at once; connection-closed adds its size
 * decision refuse / refused ──────▶ a row with the reason
 * </pre>
 *
 * The proxy may record why a handshake ended (the client rejected the certificate) just after the
 * connection's close, so a flow is remembered past its close, and a "no-request" row can still turn
 * into a "rejected" one.
 *
 * <p>A fold can start in the middle of a flow (a rotated file, a bounded in-memory log): rows then
 * lack what the missing events said (the client, maybe the decision). Remembers the last
 * {@value #MAX_FLOWS} flows; not thread-safe.
 */
public final class FlowRows {
    static final int MAX_FLOWS = 20_000;

    private final Map<String, Flow> flows = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
            return size() > MAX_FLOWS;
        }
    };

    /** What the fold remembers of one flow until it closes. */
    private static final class Flow {
        String client;
        Decision decision;
        String domain;
        boolean forged;
        int rows;
        /** The row later events may still change: the pending one, a pass-through or refused row, or a "no-request" one. */
        FlowRow open;

        /** Whether a rejection or failure belongs to the open row instead of a new one. */
        boolean openUnsettled() {
            return open != null && (open.pending() || FlowRow.NO_REQUEST.equals(open.outcome()));
        }
    }

    /** Folds all of {@code events} in order; each row once, in its final form, in the order rows were first made. */
    public static List<FlowRow> of(Iterable<? extends FlowEvent> events) {
        FlowRows fold = new FlowRows();
        Map<String, FlowRow> rows = new LinkedHashMap<>();
        for (FlowEvent e : events) {
            for (FlowRow r : fold.accept(e)) {
                rows.put(r.id(), r);
            }
        }
        return new ArrayList<>(rows.values());
    }

    /** Folds one event; returns the rows it made or changed (none, usually one). */
    public List<FlowRow> accept(FlowEvent event) {
        if (event instanceof LabStarted || event instanceof PhaseChanged || event instanceof VantageQueried) {
            return List.of(); // about the lab, not a connection through the box
        }
        Flow f = flows.computeIfAbsent(event.flowId(), id -> new Flow());
        if (event instanceof ConnectionOpened o) {
            f.client = o.client();
            return List.of();
        } else if (event instanceof DecisionMade d) {
            return decided(f, d);
        } else if (event instanceof CertificateForged c) {
            f.forged = true;
            if (f.domain == null) {
                f.domain = c.sni();
            }
            if (f.open != null && f.open.pending()) {
                f.open = f.open.withForged();
                return List.of(f.open);
            }
            return List.of();
        } else if (event instanceof HttpExchange x) {
            return exchanged(f, x);
        } else if (event instanceof ClientRejectedCertificate r) {
            if (f.domain == null) {
                f.domain = r.sni();
            }
            if (f.client == null) {
                f.client = r.client();
            }
            FlowRow row = unsettledOrNew(f, r.flowId(), r.time(), Decision.INTERCEPT)
                    .settled(r.time(), FlowRow.REJECTED, r.alert() + ": " + r.explanation());
            f.open = null;
            return List.of(row);
        } else if (event instanceof Refused r) {
            return refused(f, r);
        } else if (event instanceof ConnectionFailed x) {
            if (f.openUnsettled() || f.rows == 0) {
                FlowRow row = unsettledOrNew(f, x.flowId(), x.time(), f.decision)
                        .settled(x.time(), FlowRow.FAILED, x.stage() + ": " + x.message());
                f.open = null;
                return List.of(row);
            }
            return List.of();
        } else if (event instanceof ConnectionClosed c) {
            if (f.open == null) {
                return List.of();
            }
            if (f.open.pending()) {
                f.open = f.open.settled(c.time(), FlowRow.NO_REQUEST, "the connection closed before the client sent a request");
                return List.of(f.open);
            }
            if (f.open.decision() == Decision.PASS_THROUGH && f.open.outcome() == null) {
                f.open = f.open.withSize(c.bytesToClient());
                return List.of(f.open);
            }
            return List.of();
        }
        throw new IllegalArgumentException("unknown flow event " + event.getClass().getSimpleName());
    }

    private List<FlowRow> decided(Flow f, DecisionMade d) {
        f.decision = d.decision();
        String domain = d.sni() != null ? d.sni() : hostOf(d.destination());
        if (domain != null) {
            f.domain = domain;
        }
        // An intercepted flow whose origin turns out untrusted is decided again (pass-through): same row.
        String id = f.open != null && f.open.pending() ? f.open.id() : nextId(f, d.flowId());
        boolean pending = d.decision() == Decision.INTERCEPT || d.decision() == Decision.PLAIN_HTTP;
        f.open = new FlowRow(id, d.flowId(), d.time(), f.client, f.domain, d.decision(), null, null, null, 0, -1,
                d.reason(), f.forged, 0, pending);
        return List.of(f.open);
    }

    private List<FlowRow> exchanged(Flow f, HttpExchange x) {
        if (f.domain == null) {
            f.domain = x.host();
        }
        Decision decision = f.decision != null ? f.decision : "http".equals(x.scheme()) ? Decision.PLAIN_HTTP : Decision.INTERCEPT;
        String id = f.open != null && f.open.pending() ? f.open.id() : nextId(f, x.flowId());
        String detail = x.protocol() + (x.formFields().isEmpty() ? ""
                : ", form fields read by the box: " + String.join(", ", new java.util.TreeSet<>(x.formFields().keySet())));
        f.open = null;
        return List.of(new FlowRow(id, x.flowId(), x.time(), f.client, f.domain, decision, null, x.method(), x.path(),
                x.status(), x.responseBytes(), detail, f.forged, x.formFields().size(), false));
    }

    private List<FlowRow> refused(Flow f, Refused r) {
        if (f.client == null) {
            f.client = r.client();
        }
        if (f.domain == null && r.destination() != null) {
            f.domain = hostOf(r.destination());
        }
        if (f.open != null && f.open.decision() == Decision.REFUSE) {
            return List.of(); // the decision already made the row, with the same reason
        }
        String id = f.open != null && f.open.pending() ? f.open.id() : nextId(f, r.flowId());
        f.decision = Decision.REFUSE;
        f.open = new FlowRow(id, r.flowId(), r.time(), f.client, f.domain, Decision.REFUSE, null, null, null, 0, -1,
                r.reason(), f.forged, 0, false);
        return List.of(f.open);
    }

    private FlowRow unsettledOrNew(Flow f, String flowId, Instant time, Decision decision) {
        if (f.openUnsettled()) {
            return f.open;
        }
        return new FlowRow(nextId(f, flowId), flowId, time, f.client, f.domain, decision, null, null, null, 0, -1, null,
                f.forged, 0, true);
    }

    private static String nextId(Flow f, String flowId) {
        return flowId + "/" + f.rows++;
    }

    /** "vk.com:443" to "vk.com"; null and "unknown (no SNI)" stay as they are. */
    static String hostOf(String destination) {
        if (destination == null) {
            return null;
        }
        return destination.replaceFirst(":\\d+$", "");
    }
}
