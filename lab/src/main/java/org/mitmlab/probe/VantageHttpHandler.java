package org.mitmlab.probe;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each HTTP request to the {@link VantageService}, whatever its Host header, and writes the
 * answer when the service has made its handshake (on the channel's event loop), then closes: one
 * question per connection, like the detect client asks it.
 */
@Sharable
final class VantageHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(VantageHttpHandler.class);

    private final VantageService service;

    VantageHttpHandler(VantageService service) {
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        service.handle(request.method().name(), request.uri()).whenComplete((reply, error) -> ctx.executor().execute(() -> {
            FullHttpResponse response = error == null ? response(reply.status(), reply.contentType(), reply.body())
                    : response(500, "application/json", ("{\"error\": \"the vantage point failed\"}").getBytes(StandardCharsets.UTF_8));
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }));
    }

    private static FullHttpResponse response(int status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close").set(HttpHeaderNames.SERVER, "mitmlab-vantage");
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("vantage request from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
