package org.mitmlab.dashboard;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One page's {@code /api/stream}, after the response head went out: the {@link EventHub} offers
 * messages from any thread into a bounded queue, and this handler writes them on its channel's event
 * loop while the channel is writable (then waits for {@code channelWritabilityChanged}). A page that
 * reads too slowly fills its queue; further messages are dropped and counted, and the page gets an
 * {@code event: dropped} message with the count as soon as it catches up, so it can say so (and
 * reload). The proxy never waits for a browser.
 */
final class SseHandler extends ChannelInboundHandlerAdapter implements EventHub.Subscriber {
    private static final Logger log = LoggerFactory.getLogger(SseHandler.class);
    /** A comment line every so often keeps idle connections (and whatever sits between) open. */
    static final long HEARTBEAT_SECONDS = 15;

    private final EventHub hub;
    private final long afterSeq;
    private final int backlog;
    private final int capacity;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong droppedSinceNotice = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile Channel channel;
    private ScheduledFuture<?> heartbeat;

    /**
     * @param afterSeq  replay the kept messages numbered above this (the page's Last-Event-ID, or 0)
     * @param backlog   replay at most this many
     * @param capacity  messages queued for this page before new ones are dropped
     */
    SseHandler(EventHub hub, long afterSeq, int backlog, int capacity) {
        this.hub = hub;
        this.afterSeq = afterSeq;
        this.backlog = backlog;
        this.capacity = capacity;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        heartbeat = ctx.executor().scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        hub.subscribe(this, afterSeq, backlog);
    }

    @Override
    public void offer(EventHub.Message message) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            droppedSinceNotice.incrementAndGet();
            droppedTotal.incrementAndGet();
        } else {
            queue.add(message.text());
        }
        Channel ch = channel;
        if (ch != null && drainScheduled.compareAndSet(false, true)) {
            ch.eventLoop().execute(this::drain);
        }
    }

    /** Messages dropped for this page so far. */
    long dropped() {
        return droppedTotal.get();
    }

    private void drain() {
        drainScheduled.set(false);
        Channel ch = channel;
        if (!ch.isActive()) {
            return;
        }
        boolean wrote = false;
        long dropped = droppedSinceNotice.getAndSet(0);
        if (dropped > 0) {
            write(ch, "event: dropped\ndata: {\"dropped\":" + dropped + ",\"total\":" + droppedTotal.get() + "}\n\n");
            wrote = true;
        }
        while (ch.isWritable()) {
            String text = queue.poll();
            if (text == null) {
                break;
            }
            queued.decrementAndGet();
            write(ch, text);
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }

    private void heartbeat() {
        Channel ch = channel;
        if (ch.isActive() && ch.isWritable()) {
            write(ch, ": keep-alive\n\n");
            ch.flush();
        }
    }

    private static void write(Channel ch, String text) {
        ch.write(new DefaultHttpContent(ByteBufUtil.writeUtf8(ch.alloc(), text)), ch.voidPromise());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // a page does not talk on its stream
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Dashboard stream to {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void stop() {
        hub.unsubscribe(this);
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        queue.clear();
        queued.set(0);
        if (droppedTotal.get() > 0) {
            log.debug("Dashboard stream to {} dropped {} messages (the page read too slowly)", channel.remoteAddress(), droppedTotal.get());
        }
    }
}
