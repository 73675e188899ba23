package org.mitmlab.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.Mapping;

/** Netty's SniHandler, remembering the SNI on the channel so requests without a Host can be routed. */
final class OriginSniHandler extends SniHandler {
    private static final AttributeKey<String> SNI = AttributeKey.valueOf("mitmlab.origin.sni");

    OriginSniHandler(Mapping<? super String, ? extends SslContext> mapping) {
        super(mapping);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
        if (hostname != null) {
            ctx.channel().attr(SNI).set(hostname);
        }
        super.replaceHandler(ctx, hostname, sslContext);
    }

    /** The SNI of the TLS connection this channel (or its HTTP/2 parent) belongs to. */
    static String sniOf(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            String sni = c.attr(SNI).get();
            if (sni != null) {
                return sni;
            }
        }
        return null;
    }
}
