package org.mitmlab.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After the TLS handshake, installs HTTP/2 or HTTP/1.1 by the protocol ALPN agreed on. */
final class OriginAlpnHandler extends ApplicationProtocolNegotiationHandler {
    static final int MAX_REQUEST_BYTES = 1 << 20;

    private final SiteRequestHandler site;

    OriginAlpnHandler(SiteRequestHandler site) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.site = site;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        ChannelPipeline p = ctx.pipeline();
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            p.addLast(Http2FrameCodecBuilder.forServer().build());
            p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                            new HttpObjectAggregator(MAX_REQUEST_BYTES), site);
                }
            }));
        } else {
            p.addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                    new HttpObjectAggregator(MAX_REQUEST_BYTES), site);
        }
    }
}
