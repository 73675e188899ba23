package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Copies everything read on one channel to its peer, untouched. Back-pressure: when the peer's
 * outbound buffer is full this side stops reading until the peer drains (Netty writability), so
 * a slow reader never makes the proxy buffer a whole download. An optional {@link ByteTap} sees the
 * bytes on their way (the HTTP taps of an intercepted flow); it must not consume or keep them.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final ByteTap tap;
    private final String stage;

    RelayHandler(Channel peer, ByteTap tap, String stage) {
        this.peer = peer;
        this.tap = tap;
        this.stage = stage;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(peer.isWritable());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (tap != null && msg instanceof ByteBuf b) {
            tap.onBytes(ctx, b);
        }
        peer.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // our channel drained: let the peer read again
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Channel client = FlowContext.of(ctx.channel()) != null ? ctx.channel() : peer;
        ProxyFailures.record(client, stage, cause);
        ctx.close();
        closeOnFlush(peer);
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Sees relayed bytes without consuming them. */
    interface ByteTap {
        void onBytes(ChannelHandlerContext ctx, ByteBuf bytes);
    }
}
