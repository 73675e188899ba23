package org.mitmlab.dashboard;

import java.time.Instant;
import org.mitmlab.event.Decision;

/**
 * One line of the flow table that the dashboard and {@code mitmlab watch} show: a request the box
 * read, or a connection it passed through, refused, or lost to a client that refused the forged
 * certificate. Folded from flow events by {@link FlowRows}; a later row with the same {@link #id}
 * replaces an earlier one (a pass-through row learns its size when the connection closes).
 *
 * @param id         stable across replays: {@code flowId/N}, N counting the rows of the flow
 * @param time       when the row's event happened
 * @param client     the client's address, when the flow's opening was seen
 * @param domain     the SNI, else the destination host, else the request's host
 * @param decision   what the proxy did with the connection
 * @param outcome    null for a normal row; {@link #REJECTED}, {@link #FAILED} or {@link #NO_REQUEST}
 * @param method     HTTP method, null when the box could not read it (pass-through, refused)
 * @param path       request path, null likewise
 * @param status     HTTP status, 0 when there is none
 * @param size       response body bytes (for a pass-through row: encrypted bytes sent to the client), -1 unknown
 * @param detail     one line for a student: why the proxy decided so, which alert the client sent, ...
 * @param forged     the flow has a forged certificate, so a certificate comparison exists
 * @param formFields how many form fields the box captured from this request
 * @param pending    an intercepted connection whose first request has not been seen yet
 */
public record FlowRow(String id, String flowId, Instant time, String client, String domain, Decision decision,
        String outcome, String method, String path, int status, long size, String detail, boolean forged,
        int formFields, boolean pending) {

    /** The client aborted the handshake on the forged certificate: it did not trust the national root. */
    public static final String REJECTED = "rejected";
    /** The proxy could not complete the flow (origin unreachable, TLS error, ...). */
    public static final String FAILED = "failed";
    /** An intercepted connection that closed without a request. */
    public static final String NO_REQUEST = "no-request";

    FlowRow withSize(long bytes) {
        return new FlowRow(id, flowId, time, client, domain, decision, outcome, method, path, status, bytes, detail,
                forged, formFields, pending);
    }

    FlowRow withForged() {
        return new FlowRow(id, flowId, time, client, domain, decision, outcome, method, path, status, size, detail,
                true, formFields, pending);
    }

    FlowRow settled(Instant at, String newOutcome, String newDetail) {
        return new FlowRow(id, flowId, at, client, domain, decision, newOutcome, method, path, status, size, newDetail,
                forged, formFields, false);
    }

    /** The label students see for the decision column: intercepted, passed through, refused, plain HTTP. */
    public String decisionLabel() {
        if (decision == null) {
            return "unknown";
        }
        return switch (decision) {
            case INTERCEPT -> "intercepted";
            case PASS_THROUGH -> "passed through";
            case REFUSE -> "refused";
            case PLAIN_HTTP -> "plain HTTP";
        };
    }
}
