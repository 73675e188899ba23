package org.mitmlab.proxy;

import io.netty.channel.Channel;
import org.mitmlab.event.ConnectionFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One place that turns a handler failure into a single log line and a ConnectionFailed event. */
final class ProxyFailures {
    private static final Logger log = LoggerFactory.getLogger(ProxyFailures.class);

    private ProxyFailures() {
    }

    static void record(Channel clientChannel, String stage, Throwable cause) {
        FlowContext flow = FlowContext.of(clientChannel);
        String message = describe(cause);
        if (flow == null) {
            log.debug("{}: {}", stage, message);
            return;
        }
        if (flow.outcomeRecorded) {
            // the first explanation of a flow's end wins; what follows (a reset, the same handshake
            // failure seen again by the relay) adds nothing for a student
            log.debug("flow {} also failed at {}: {}", flow.flowId(), stage, message);
            return;
        }
        flow.outcomeRecorded = true;
        log.debug("flow {} failed at {}: {}", flow.flowId(), stage, message);
        flow.emit(new ConnectionFailed(flow.flowId(), flow.now(), stage, message));
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
