package org.mitmlab.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.mitmlab.event.ConnectionOpened;

/** Pipeline of a new client connection: a flow context, a byte counter and the protocol sniffer. */
final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyServices services;
    private final String flowPrefix;
    private final AtomicLong flowCounter = new AtomicLong();

    /** @param interceptor names a second interceptor's flows ("cafe-wifi-..."); null for the lab's box */
    ProxyChannelInitializer(ProxyServices services, String interceptor) {
        this.services = services;
        // ids stay unique across restarts of the lab that append to the same events file
        String time = Long.toString(services.clock.millis() / 1000 % 1_000_000, 36);
        this.flowPrefix = interceptor == null ? time : interceptor + "-" + time;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        services.track(ch);
        FlowContext flow = new FlowContext(flowPrefix + "-" + flowCounter.incrementAndGet(), ch.remoteAddress(),
                services.clock, services.events);
        ch.attr(FlowContext.KEY).set(flow);
        flow.emit(new ConnectionOpened(flow.flowId(), flow.now(), flow.client(),
                ch.localAddress().getAddress().getHostAddress() + ":" + ch.localAddress().getPort()));
        ch.pipeline().addLast("counter", new TrafficCounterHandler());
        ch.pipeline().addLast("sniffer", new ProtocolSnifferHandler(services));
    }
}
