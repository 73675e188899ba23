package org.mitmlab.lab;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mitmlab.net.Transport;

/**
 * The warm-up's load: a few lanes, each opening a TLS connection straight to the proxy (routed by
 * SNI, full handshake), making some keep-alive GETs and one large POST and closing, over and over
 * until the deadline.
 * A Netty client on BoringSSL costs the proxy's core far less than the JDK's HttpClient, so most of
 * the budget goes to the proxy's own code: the handshakes, relays and mints a benchmark or a
 * classroom then meets.
 */
final class WarmUpClient {
    /** Under the origin's request limit (1 MiB). */
    static final int BULK_BYTES = 256 * 1024;

    private final Transport transport;
    private final SslContext tls;
    private final InetSocketAddress proxy;
    private final List<String> names;
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.Set<String> answeredNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final byte[] bulkBody = new byte[BULK_BYTES];
    /** Set when the run is interrupted: lanes start no new connection, as at the deadline. */
    private volatile boolean stopped;

    WarmUpClient(Transport transport, SslContext tls, InetSocketAddress proxy, List<String> names) {
        this.transport = transport;
        this.tls = tls;
        this.proxy = proxy;
        this.names = List.copyOf(names);
    }

    /**
     * Runs {@code lanes} connections at a time, {@code perConnection} requests each (the last one the
     * upload), until {@code deadlineNanos}; returns the number of answered requests.
     */
    int run(int lanes, int perConnection, long deadlineNanos) throws InterruptedException {
        return run(lanes, perConnection, 0, deadlineNanos);
    }

    /**
     * One connection at a time, one GET each, {@code pause} after each, until {@code deadlineNanos}:
     * clients arriving singly, as a student's browser or a benchmark's curl does, with the event loops
     * idle in between. After busy lanes alone, the first single clients met deoptimisations and
     * recompilation on the proxy's core (about 1,100 compilations during a benchmark's first eight new
     * names; docs/performance.md).
     */
    int runOneAtATime(java.time.Duration pause, long deadlineNanos) throws InterruptedException {
        return run(1, 1, pause.toNanos(), deadlineNanos);
    }

    private int run(int lanes, int perConnection, long pauseNanos, long deadlineNanos) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(lanes);
        for (int i = 0; i < lanes; i++) {
            connect(perConnection, pauseNanos, deadlineNanos, done);
        }
        long waitNanos = Math.max(0, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5);
        try {
            done.await(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // stop as at the deadline, and return only once the lanes have: the caller then closes the
            // proxy and releases the TLS contexts they use
            stopped = true;
            done.await(5, TimeUnit.SECONDS);
            throw e;
        }
        return requests.get();
    }

    /** How many connections the lanes have started. */
    int connectionsStarted() {
        return connections.get();
    }

    /** The most connections that were open at the same time. */
    int mostConnectionsAtOnce() {
        return mostOpen.get();
    }

    /** The names that got at least one answer. */
    java.util.Set<String> answeredNames() {
        return java.util.Set.copyOf(answeredNames);
    }

    private void connect(int perConnection, long pauseNanos, long deadlineNanos, CountDownLatch done) {
        if (stopped || System.nanoTime() >= deadlineNanos) {
            done.countDown();
            return;
        }
        // names alternate per connection, so a proxy with a small forgery cache mints again and again
        String name = names.get(Math.floorMod(connections.getAndIncrement(), names.size()));
        new Bootstrap().group(transport.workers()).channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), name, 443),
                                new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new Requests(name, perConnection));
                    }
                })
                .connect(proxy).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        done.countDown(); // this lane stops; a colder start, nothing worse
                        return;
                    }
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    f.channel().closeFuture().addListener(c -> {
                        open.decrementAndGet();
                        if (pauseNanos > 0) {
                            transport.workers().schedule(() -> connect(perConnection, pauseNanos, deadlineNanos, done),
                                    pauseNanos, TimeUnit.NANOSECONDS);
                        } else {
                            connect(perConnection, pauseNanos, deadlineNanos, done);
                        }
                    });
                });
    }

    /**
     * Sends GET /api/status, and again on each answer, up to the connection's share, then closes; the
     * last request of a connection of several is a large upload.
     */
    private final class Requests extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String name;
        private final int perConnection;
        private int sent;

        Requests(String name, int perConnection) {
            this.name = name;
            this.perConnection = perConnection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            requests.incrementAndGet();
            answeredNames.add(name);
            if (sent < perConnection) {
                send(ctx);
            } else {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the lane goes on with a new connection
        }

        private void send(ChannelHandlerContext ctx) {
            sent++;
            DefaultFullHttpRequest request;
            if (sent == perConnection && perConnection > 1) {
                // the last request of a connection carries a large body: the relay's bulk path (full
                // TLS records both ways) is compiled too, not only the small-request one
                request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/status",
                        Unpooled.wrappedBuffer(bulkBody));
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                request.headers().set(HttpHeaderNames.CONTENT_LENGTH, bulkBody.length);
            } else {
                request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/status");
            }
            request.headers().set(HttpHeaderNames.HOST, name);
            ctx.writeAndFlush(request);
        }
    }
}
