package org.mitmlab.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import org.mitmlab.proxy.UpstreamResolver.DestinationRefusedException;

/**
 * One absolute-form plain-HTTP request ({@code GET http://vk.com/}): sent to the lab site's port 80
 * in origin form, the response relayed back and recorded, then both connections closed. In 2019
 * plain HTTP needed no interception at all; the lab records it to make that point.
 */
final class PlainHttpForwarder {
    private static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    private final ProxyServices services;
    private final Channel client;

    PlainHttpForwarder(ProxyServices services, Channel client) {
        this.services = services;
        this.client = client;
    }

    /** Takes ownership of {@code request}. */
    void forward(FullHttpRequest request, String host, int port, URI uri) {
        FlowContext flow = FlowContext.of(client);
        ExchangeBuilder exchange = ExchangeBuilder.fromHttp1(request, "http", host, services.clock);
        client.config().setAutoRead(false);
        services.upstreams.resolve(host, port).whenComplete((address, error) -> client.eventLoop().execute(() -> {
            if (error != null) {
                request.release();
                String reason = error instanceof DestinationRefusedException ? error.getMessage() : ProxyFailures.describe(error);
                ProxyRequestHandler.refuse(client.pipeline().context(ProxyRequestHandler.class), flow, host + ":" + port,
                        HttpResponseStatus.FORBIDDEN, reason);
                return;
            }
            connect(request, address, uri, exchange);
        }));
    }

    private void connect(FullHttpRequest request, InetSocketAddress address, URI uri, ExchangeBuilder exchange) {
        String originForm = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request.setUri(originForm);
        request.headers().remove("proxy-connection");
        HttpUtil.setKeepAlive(request, false);
        new Bootstrap().group(client.eventLoop()).channel(services.transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) services.config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                new ResponseRelay(exchange));
                    }
                })
                .connect(address).addListener(services.tracking()).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        f.channel().writeAndFlush(request);
                    } else {
                        request.release();
                        ProxyFailures.record(client, "upstream-connect", f.cause());
                        client.close();
                    }
                });
    }

    /** Sends the origin's response to the client, records the exchange, closes both sides. */
    private final class ResponseRelay extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final ExchangeBuilder exchange;

        ResponseRelay(ExchangeBuilder exchange) {
            this.exchange = exchange;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            exchange.response(response.status().code(), response.headers(), response.content());
            FlowContext flow = FlowContext.of(client);
            flow.emit(exchange.build(flow, "HTTP/1.1"));
            flow.outcomeRecorded = true;
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            client.writeAndFlush(response.retain()).addListener(ChannelFutureListener.CLOSE);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ProxyFailures.record(client, "upstream-http", cause);
            ctx.close();
            client.close();
        }
    }
}
