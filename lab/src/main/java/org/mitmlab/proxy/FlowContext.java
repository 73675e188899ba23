package org.mitmlab.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import org.mitmlab.event.EventSink;
import org.mitmlab.event.FlowEvent;

/**
 * The state of one client connection: its id, who connected, when, and where its events go.
 * Lives in a channel attribute; touched only from the flow's event loop.
 */
final class FlowContext {
    static final AttributeKey<FlowContext> KEY = AttributeKey.valueOf("mitmlab.flow");

    private final String flowId;
    private final String client;
    private final Clock clock;
    private final EventSink sink;
    private final long startNanos = System.nanoTime();
    long bytesFromClient;
    long bytesToClient;
    /** The SNI once known; used in events emitted later (rejections, failures). */
    String sni;
    /** A plain-text alert the client sent during our handshake (see ClientAlertSnifferHandler), or null. */
    String clientAlert;
    /** Set once an event has explained the end of this flow, so we do not add a vaguer one. */
    boolean outcomeRecorded;

    FlowContext(String flowId, InetSocketAddress client, Clock clock, EventSink sink) {
        this.flowId = flowId;
        this.client = client == null ? "?" : client.getAddress().getHostAddress() + ":" + client.getPort();
        this.clock = clock;
        this.sink = sink;
    }

    static FlowContext of(Channel channel) {
        return channel.attr(KEY).get();
    }

    String flowId() {
        return flowId;
    }

    String client() {
        return client;
    }

    Instant now() {
        return clock.instant();
    }

    double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    void emit(FlowEvent event) {
        sink.emit(event);
    }
}
