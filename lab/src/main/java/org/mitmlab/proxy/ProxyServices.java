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
    private static final int MAX_SERVER_CONTEXTS = 4096;

    final ProxyConfig config;
    final InterceptionPolicy policy;
    final UpstreamResolver upstreams;
    final ForgeryCache forgeries;
    final TlsContexts tls;
    final Transport transport;
    final EventSink events;
    final Clock clock;
    private final Map<List<String>, SslContext> upstreamContexts = new ConcurrentHashMap<>();
    private final Map<ContextKey, SslContext> forgedContexts = new ConcurrentHashMap<>();

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

    /** Server context for a forged leaf, agreeing to the protocol the origin chose (or none). */
    SslContext forgedContext(ForgedLeaf leaf, String alpn) {
        ContextKey key = new ContextKey(leaf, alpn == null ? "" : alpn);
        SslContext ctx = forgedContexts.get(key);
        if (ctx != null) {
            return ctx;
        }
        if (forgedContexts.size() >= MAX_SERVER_CONTEXTS) {
            forgedContexts.clear(); // rare: a classroom does not see 4096 names; rebuilding is cheap
        }
        return forgedContexts.computeIfAbsent(key,
                k -> tls.server(leaf.key(), leaf.chain(), k.alpn().isEmpty() ? List.of() : List.of(k.alpn())));
    }

    private record ContextKey(ForgedLeaf leaf, String alpn) {
    }
}
