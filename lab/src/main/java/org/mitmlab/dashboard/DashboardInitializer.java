package org.mitmlab.dashboard;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** Pipeline of a dashboard connection: HTTP/1.1, whole (small) requests, then the router. */
final class DashboardInitializer extends ChannelInitializer<SocketChannel> {
    /** The dashboard takes no uploads: a request is a GET line and headers. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final DashboardRequestHandler router;
    private final ChannelGroup open;

    DashboardInitializer(DashboardRequestHandler router, ChannelGroup open) {
        this.router = router;
        this.open = open;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        open.add(ch); // so that stopping the lab also ends the pages' event streams
        ch.pipeline().addLast("http", new HttpServerCodec(4096, 8192, 8192));
        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        ch.pipeline().addLast("router", router);
    }
}
