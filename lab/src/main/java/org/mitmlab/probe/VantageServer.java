package org.mitmlab.probe;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import org.mitmlab.net.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vantage service on its own plain-HTTP listener, as the Docker lab's {@code vantage}
 * container runs it ({@code mitmlab vantage}): {@code GET /vantage?host=NAME} under any Host.
 * The embedded lab does not need this; it serves the same {@link VantageService} as
 * {@value VantageService#HOST} on the simulated Internet's plain-HTTP listener.
 */
public final class VantageServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VantageServer.class);
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final Transport transport;
    private final VantageHttpHandler handler;
    private Channel channel;

    public VantageServer(Transport transport, VantageService service) {
        this.transport = transport;
        this.handler = new VantageHttpHandler(service);
    }

    /** Binds {@code listen} (port 0 picks a free one). */
    public VantageServer start(InetSocketAddress listen) throws InterruptedException {
        channel = new ServerBootstrap().group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                    }
                })
                .bind(listen).sync().channel();
        log.info("Vantage service listening on http://{}:{}{}", address().getAddress().getHostAddress(), address().getPort(),
                VantageService.PATH);
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
