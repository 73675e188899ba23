package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.mitmlab.event.ConnectionClosed;

/** First handler of every client channel: counts raw bytes each way and reports the flow's end. */
final class TrafficCounterHandler extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            FlowContext.of(ctx.channel()).bytesFromClient += b.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            FlowContext.of(ctx.channel()).bytesToClient += b.readableBytes();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FlowContext flow = FlowContext.of(ctx.channel());
        flow.emit(new ConnectionClosed(flow.flowId(), flow.now(), flow.bytesFromClient, flow.bytesToClient,
                flow.elapsedMillis()));
        ctx.fireChannelInactive();
    }
}
