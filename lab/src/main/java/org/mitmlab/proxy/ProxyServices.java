package org.mitmlab.proxy;

import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mitmlab.event.EventSink;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.pki.ForgedLeaf;
import org.mitmlab.pki.ForgeryCache;

/** The collaborators every connection's handlers share; built once per {@link ProxyServer}. */
final class ProxyServices {
    final ProxyConfig config;
    final InterceptionPolicy policy;
    final UpstreamResolver upstreams;
    final ForgeryCache forgeries;
    final TlsContexts tls;
    final Transport transport;
    final EventSink events;
    final Clock clock;
    private final Map<List<String>, SslContext> upstreamContexts = new ConcurrentHashMap<>();
    private final Map<String, SslContext> forgedContexts = new ConcurrentHashMap<>();
    private final ForgedKeyManager forgedKeys = new ForgedKeyManager();

    ProxyServices(ProxyConfig config, InterceptionPolicy policy, UpstreamResolver upstreams, ForgeryCache forgeries,
            TlsContexts tls, Transport transport, EventSink events, Clock clock) {
        this.config = config;
        this.policy = policy;
        this.upstreams = upstreams;
        this.forgeries = forgeries;
        this.tls = tls;
        this.transport = transport;
        this.events = events;
        this.clock = clock;
    }

    /** Client context towards origins, offering exactly the ALPN list the client offered us. */
    SslContext upstreamContext(List<String> alpn) {
        return upstreamContexts.computeIfAbsent(List.copyOf(alpn), a -> tls.client(config.upstreamTrust(), a));
    }

    /**
     * The client-facing handler for a forged leaf, agreeing to the protocol the origin chose (or none).
     * One shared context per protocol; the leaf is picked per handshake by {@link ForgedKeyManager}.
     */
    io.netty.handler.ssl.SslHandler forgedTlsHandler(io.netty.buffer.ByteBufAllocator alloc, ForgedLeaf leaf, String alpn) {
        SslContext ctx = forgedContexts.computeIfAbsent(alpn == null ? "" : alpn,
                a -> tls.server(forgedKeys.factory(), a.isEmpty() ? List.of() : List.of(a)));
        io.netty.handler.ssl.SslHandler handler = ctx.newHandler(alloc);
        forgedKeys.assign(handler.engine(), leaf);
        handler.handshakeFuture().addListener(f -> forgedKeys.release(handler.engine()));
        return handler;
    }

}
