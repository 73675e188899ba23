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
import org.mitmlab.pki.Forgeries;

/** The collaborators every connection's handlers share; built once per {@link ProxyServer}. */
final class ProxyServices {
    final ProxyConfig config;
    final InterceptionPolicy policy;
    final UpstreamResolver upstreams;
    final Forgeries forgeries;
    final TlsContexts tls;
    final Transport transport;
    final EventSink events;
    final Clock clock;
    private final Map<List<String>, SslContext> upstreamContexts = new ConcurrentHashMap<>();
    private final Map<String, SslContext> forgedContexts = new ConcurrentHashMap<>();
    private final ForgedKeyManager forgedKeys;
    /** Signs the forged leaves' handshakes with their keys' own provider; null when BoringSSL signs them. */
    private final ForgedLeafSigner forgedSigner;
    /** Every open connection, both legs, so that closing the proxy closes them while the event loops still run. */
    private final io.netty.channel.group.ChannelGroup open =
            new io.netty.channel.group.DefaultChannelGroup("mitmlab-proxy", io.netty.util.concurrent.GlobalEventExecutor.INSTANCE, true);

    ProxyServices(ProxyConfig config, InterceptionPolicy policy, UpstreamResolver upstreams, Forgeries forgeries,
            TlsContexts tls, Transport transport, EventSink events, Clock clock) {
        this.config = config;
        this.policy = policy;
        this.upstreams = upstreams;
        this.forgeries = forgeries;
        this.tls = tls;
        this.transport = transport;
        this.events = events;
        this.clock = clock;
        // the key stock readies each key for the forger's provider; when that is native, it signs the
        // handshakes too, instead of BoringSSL setting every new key up again on the first visit's path
        boolean signOutside = forgeries.signatures().isNative() && tls.supportsOutsideSigning();
        this.forgedKeys = new ForgedKeyManager(signOutside);
        this.forgedSigner = signOutside ? new ForgedLeafSigner(forgedKeys, forgeries.signatures()) : null;
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
                a -> tls.server(forgedKeys.factory(), a.isEmpty() ? List.of() : List.of(a), config.sessionResumption(), forgedSigner));
        io.netty.handler.ssl.SslHandler handler = ctx.newHandler(alloc);
        if (!config.sessionResumption()) {
            TlsContexts.withoutTickets(handler);
        }
        forgedKeys.assign(handler.engine(), leaf);
        handler.handshakeFuture().addListener(f -> forgedKeys.release(handler.engine()));
        return handler;
    }

    /** Remembers a connection until it closes. */
    void track(io.netty.channel.Channel channel) {
        open.add(channel);
    }

    /** A connect listener that remembers the upstream connection. */
    io.netty.channel.ChannelFutureListener tracking() {
        return f -> open.add(f.channel());
    }

    /**
     * Closes every connection and releases the TLS contexts. With OpenSSL each holds native memory, and a forged context also
     * caches the key material of its last handshake: left to the garbage collector, Netty's leak
     * detector reports that material.
     */
    void close() {
        // closed here, their handlers release what they hold; left to the event loops' shutdown they may not
        open.close().awaitUninterruptibly(java.time.Duration.ofSeconds(5).toMillis());
        for (Map<?, SslContext> contexts : List.of(forgedContexts, upstreamContexts)) {
            contexts.values().forEach(io.netty.util.ReferenceCountUtil::release);
            contexts.clear();
        }
    }
}
