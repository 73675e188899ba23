package org.mitmlab.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.mitmlab.event.EventSink;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.pki.Forgeries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the intercepting proxy's listener and owns its lifecycle. */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyServices services;
    private final String interceptor;
    private Channel listener;

    public ProxyServer(ProxyConfig config, InterceptionPolicy policy, UpstreamResolver upstreams, Forgeries forgeries,
            TlsContexts tls, Transport transport, EventSink events, Clock clock) {
        this(config, policy, upstreams, forgeries, tls, transport, events, clock, null);
    }

    /**
     * @param interceptor name of a second interceptor (a scenario's attacker), prefixed to its flow ids
     *                    so its events are told apart from the box's; null for the box
     */
    public ProxyServer(ProxyConfig config, InterceptionPolicy policy, UpstreamResolver upstreams, Forgeries forgeries,
            TlsContexts tls, Transport transport, EventSink events, Clock clock, String interceptor) {
        this.services = new ProxyServices(config, policy, upstreams, forgeries, tls, transport, events, clock);
        this.interceptor = interceptor;
    }

    /** Binds; throws {@link java.net.BindException} (wrapped by Netty) when the port is taken. */
    public ProxyServer start() throws InterruptedException {
        listener = new ServerBootstrap().group(services.transport.boss(), services.transport.workers())
                .channel(services.transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RelayHandler.READS)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, RelayHandler.WATER_MARK)
                .childHandler(new ProxyChannelInitializer(services, interceptor))
                .bind(services.config.listen()).sync().channel();
        log.info("Intercepting proxy listening on {}:{} ({} transport, {} TLS)", address().getAddress().getHostAddress(), address().getPort(),
                services.transport.name(), services.tls.providerName());
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        services.close();
    }
}
