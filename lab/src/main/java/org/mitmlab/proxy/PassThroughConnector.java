package org.mitmlab.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import org.mitmlab.proxy.UpstreamResolver.DestinationRefusedException;

/**
 * A connection that is not intercepted: open TCP to the origin, then splice bytes both ways
 * untouched, starting with the buffered ClientHello. The client negotiates TLS with the origin
 * itself and sees the genuine certificate byte for byte.
 */
final class PassThroughConnector {
    private final ProxyServices services;
    private final ChannelHandlerContext helloCtx;
    private final String route;

    PassThroughConnector(ProxyServices services, ChannelHandlerContext helloCtx, String route) {
        this.services = services;
        this.helloCtx = helloCtx;
        this.route = route;
    }

    void start() {
        Channel client = helloCtx.channel();
        services.upstreams.resolve(route, InterceptionPolicy.HTTPS_PORT).whenComplete((address, error) ->
                client.eventLoop().execute(() -> {
                    if (error != null) {
                        fail(client, error);
                    } else {
                        connect(client, address);
                    }
                }));
    }

    private void connect(Channel client, InetSocketAddress address) {
        new Bootstrap().group(client.eventLoop()).channel(services.transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, RelayHandler.READS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, RelayHandler.WATER_MARK)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) services.config.connectTimeout().toMillis())
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address).addListener(services.tracking()).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        ProxyFailures.record(client, "upstream-connect", f.cause());
                        client.close();
                        return;
                    }
                    Channel upstream = f.channel();
                    if (!client.isActive()) {
                        upstream.close();
                        return;
                    }
                    upstream.pipeline().addLast(new RelayHandler(client, null, "relay"));
                    client.pipeline().addLast(new RelayHandler(upstream, null, "relay"));
                    client.pipeline().remove(helloCtx.handler()); // releases the buffered ClientHello to the relay
                    upstream.config().setAutoRead(true);
                    client.config().setAutoRead(true);
                });
    }

    private static void fail(Channel client, Throwable error) {
        if (error instanceof DestinationRefusedException refused) {
            FlowContext flow = FlowContext.of(client);
            flow.outcomeRecorded = true;
            flow.emit(new org.mitmlab.event.Refused(flow.flowId(), flow.now(), flow.client(), flow.sni, refused.getMessage()));
        } else {
            ProxyFailures.record(client, "upstream-resolve", error);
        }
        client.close();
    }
}
