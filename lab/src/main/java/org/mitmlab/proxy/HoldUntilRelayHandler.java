package org.mitmlab.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Sits on the origin leg between the TLS handshake and the moment the relay is installed (while
 * the forged leaf is minted) and keeps whatever the origin sends early, such as an HTTP/2 server's
 * SETTINGS frame. Turning reads off is not enough: SslHandler may still read once more. When the
 * relay replaces this handler, the held messages go to it in order.
 */
final class HoldUntilRelayHandler extends ChannelInboundHandlerAdapter {
    private final Queue<Object> held = new ArrayDeque<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing to pass on yet
    }

    /** The origin hung up before the relay existed: nobody will take what it sent. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Object msg; (msg = held.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        boolean forwarded = false;
        for (Object msg; (msg = held.poll()) != null; ) {
            if (ctx.channel().isActive()) {
                ctx.fireChannelRead(msg);
                forwarded = true;
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
        if (forwarded) {
            ctx.fireChannelReadComplete();
        }
    }
}
