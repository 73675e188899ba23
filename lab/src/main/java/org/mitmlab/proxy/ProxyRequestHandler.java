package org.mitmlab.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.Refused;

/**
 * Explicit-proxy requests: {@code CONNECT host:443} becomes a tunnel whose first bytes go to
 * {@link ClientHelloHandler}; {@code GET http://host/...} (absolute form) is handed to
 * {@link PlainHttpForwarder}. Anything else gets a 4xx that says how to use the proxy.
 */
final class ProxyRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ProxyServices services;

    ProxyRequestHandler(ProxyServices services) {
        this.services = services;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FlowContext flow = FlowContext.of(ctx.channel());
        if (!request.decoderResult().isSuccess()) {
            refuse(ctx, flow, "?", HttpResponseStatus.BAD_REQUEST,
                    "not an HTTP request: use this address as an HTTP proxy (curl --proxy) or send TLS to it");
            return;
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            connect(ctx, flow, request.uri());
        } else if (request.uri().startsWith("http://")) {
            plain(ctx, flow, request);
        } else if (request.uri().startsWith("https://")) {
            refuse(ctx, flow, request.uri(), HttpResponseStatus.BAD_REQUEST,
                    "send HTTPS through the proxy with CONNECT (curl --proxy does this), not as an https:// URL");
        } else {
            refuse(ctx, flow, request.uri(), HttpResponseStatus.BAD_REQUEST,
                    "this is the mitmlab proxy, not a web server: use it with curl --proxy http://ADDRESS or a browser's proxy setting");
        }
    }

    private void connect(ChannelHandlerContext ctx, FlowContext flow, String authority) {
        int colon = authority.lastIndexOf(':');
        String host = colon > 0 ? authority.substring(0, colon) : authority;
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(authority.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0) {
            refuse(ctx, flow, authority, HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port, got '" + authority + "'");
            return;
        }
        Verdict.Refuse refusal = services.policy.checkConnect(host, port);
        if (refusal == null && !services.upstreams.mayRoute(host)) {
            refusal = new Verdict.Refuse(host + " is outside the lab: mitmlab never relays to the real Internet");
        }
        if (refusal != null) {
            flow.emit(new DecisionMade(flow.flowId(), flow.now(), null, authority, null, Decision.REFUSE, refusal.reason()));
            refuse(ctx, flow, authority, HttpResponseStatus.FORBIDDEN, refusal.reason());
            return;
        }
        FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(200, "Connection Established"));
        ctx.pipeline().remove("http-aggregator");
        ctx.pipeline().addAfter(ctx.name(), "client-hello", new ClientHelloHandler(services, host));
        ctx.writeAndFlush(ok).addListener(f -> {
            if (f.isSuccess() && ctx.channel().isActive()) {
                // the codec goes only after the 200 has been encoded; bytes after CONNECT are TLS
                ctx.pipeline().remove("http-codec");
                ctx.pipeline().remove(this);
            }
        });
    }

    private void plain(ChannelHandlerContext ctx, FlowContext flow, FullHttpRequest request) {
        URI uri;
        try {
            uri = new URI(request.uri());
        } catch (URISyntaxException e) {
            refuse(ctx, flow, request.uri(), HttpResponseStatus.BAD_REQUEST, "malformed URL: " + request.uri());
            return;
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        if (host == null || !services.upstreams.mayRoute(host)) {
            String reason = (host == null ? request.uri() : host) + " is outside the lab: mitmlab never relays to the real Internet";
            flow.emit(new DecisionMade(flow.flowId(), flow.now(), null, host + ":" + port, null, Decision.REFUSE, reason));
            refuse(ctx, flow, host + ":" + port, HttpResponseStatus.FORBIDDEN, reason);
            return;
        }
        flow.emit(new DecisionMade(flow.flowId(), flow.now(), null, host + ":" + port, null, Decision.PLAIN_HTTP,
                "plain HTTP to a lab site: relayed and recorded (nothing to decrypt)"));
        new PlainHttpForwarder(services, ctx.channel()).forward(request.retain(), host, port, uri);
    }

    static void refuse(ChannelHandlerContext ctx, FlowContext flow, String destination, HttpResponseStatus status, String reason) {
        flow.outcomeRecorded = true;
        flow.emit(new Refused(flow.flowId(), flow.now(), flow.client(), destination, reason));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer("mitmlab: " + reason + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, "close")
                .set("x-mitmlab-refused", reason);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProxyFailures.record(ctx.channel(), "proxy-request", cause);
        ctx.close();
    }
}
