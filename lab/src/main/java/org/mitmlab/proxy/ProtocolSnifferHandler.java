package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;

/**
 * Looks at the first byte of a new connection: 0x16 (a TLS handshake record) means the client is
 * speaking TLS straight to us (transparent or SNI-routed); anything else is treated as an HTTP
 * proxy request. Installs the matching handlers and removes itself; the buffered bytes flow on.
 */
final class ProtocolSnifferHandler extends ByteToMessageDecoder {
    private static final int TLS_HANDSHAKE = 0x16;
    /** A CONNECT line or a proxied plain-HTTP request; large bodies are not expected here. */
    static final int MAX_PROXY_REQUEST_BYTES = 64 * 1024;

    private final ProxyServices services;

    ProtocolSnifferHandler(ProxyServices services) {
        this.services = services;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE) {
            ctx.pipeline().addAfter(ctx.name(), "client-hello", new ClientHelloHandler(services, null));
        } else {
            ctx.pipeline().addAfter(ctx.name(), "http-codec", new HttpServerCodec());
            ctx.pipeline().addAfter("http-codec", "http-aggregator", new HttpObjectAggregator(MAX_PROXY_REQUEST_BYTES));
            ctx.pipeline().addAfter("http-aggregator", "proxy-request", new ProxyRequestHandler(services));
        }
        ctx.pipeline().remove(this);
    }
}
