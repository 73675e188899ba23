package org.mitmlab.dashboard;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.EventLog;
import org.mitmlab.net.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's dashboard: a small HTTP server on the lab's event loops that serves one page and its
 * JSON API.
 *
 * <pre>
 * GET /                          the page (index.html, dashboard.css, dashboard.js)
 * GET /api/events                the newest events, as in events.jsonl (?limit=N, ?flow=ID, ?type=http-exchange)
 * GET /api/stream                Server-Sent Events: every new flow event and the table rows it changed
 * GET /api/flows                 the flow table of the events in memory
 * GET /api/certificates/{flowId} genuine vs forged certificate of an intercepted flow, field by field
 * GET /api/overview              per-domain counts, accepted vs refused, the national root, a timeline
 * GET /api/har                   the recorded requests as a HAR file
 * GET /proxy.pac                 the lab's PAC file (lab names to the proxy, the rest DIRECT), when the lab has a proxy
 * </pre>
 *
 * Listens on loopback unless told otherwise; see {@link DashboardRequestHandler} for why it also
 * checks the Host header.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    /** Messages queued per page before new ones are dropped: the whole history, and room to spare. */
    static final int STREAM_QUEUE_CAPACITY = EventHub.DEFAULT_HISTORY + 2_048;
    /** API requests waiting for the dashboard's thread; more are answered 503. */
    private static final int MAX_QUEUED_REQUESTS = 256;

    private final InetSocketAddress listen;
    private final Transport transport;
    private final EventHub hub;
    private final DashboardApi api;
    private final ExecutorService executor;
    private final ProxyAutoConfig proxyAutoConfig;
    private final ChannelGroup open = new DefaultChannelGroup("mitmlab-dashboard", GlobalEventExecutor.INSTANCE);
    private Channel listener;

    /**
     * @param log          the lab's in-memory events (what {@code /api/...} reads)
     * @param hub          the lab's dashboard sink (what {@code /api/stream} pushes); it must be in the lab's fan-out
     * @param targeted     whether a name is on the target list (for the overview)
     * @param nationalRoot shown with its fingerprint on the overview
     */
    public DashboardServer(InetSocketAddress listen, Transport transport, EventLog log, EventHub hub,
            Predicate<String> targeted, X509Certificate nationalRoot, Clock clock, EventJson json) {
        this(listen, transport, log, hub, targeted, nationalRoot, clock, json, null);
    }

    /**
     * @param proxyAutoConfig served at {@code /proxy.pac}; null when there is no proxy to point at
     *                        (a dashboard over an events file)
     */
    public DashboardServer(InetSocketAddress listen, Transport transport, EventLog log, EventHub hub,
            Predicate<String> targeted, X509Certificate nationalRoot, Clock clock, EventJson json,
            ProxyAutoConfig proxyAutoConfig) {
        this.proxyAutoConfig = proxyAutoConfig;
        this.listen = listen;
        this.transport = transport;
        this.hub = hub;
        this.api = new DashboardApi(log, targeted, nationalRoot, clock, json);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED_REQUESTS),
                r -> {
                    Thread t = new Thread(r, "mitmlab-dashboard");
                    t.setDaemon(true);
                    return t;
                });
        this.executor = pool;
    }

    /** Binds; throws {@link java.net.BindException} (wrapped by Netty) when the port is taken. */
    public DashboardServer start() throws InterruptedException {
        DashboardRequestHandler router = new DashboardRequestHandler(api, new StaticResources(), hub, executor,
                allowedHosts(listen.getAddress()), STREAM_QUEUE_CAPACITY, proxyAutoConfig == null ? null : proxyAutoConfig.bytes());
        listener = new ServerBootstrap().group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new DashboardInitializer(router, open))
                .bind(listen).sync().channel();
        log.info("Dashboard listening on {}", url());
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The page's address, for the banner and lab.json. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** The PAC file's address, when this dashboard serves one. */
    public java.util.Optional<String> proxyAutoConfigUrl() {
        return proxyAutoConfig == null ? java.util.Optional.empty() : java.util.Optional.of(url() + "proxy.pac");
    }

    /** Pages connected to the live stream. */
    public int streamCount() {
        return hub.subscriberCount();
    }

    /** Names a browser may use for this server: loopback names, and the listen address itself. */
    static Set<String> allowedHosts(InetAddress listen) {
        Set<String> hosts = new HashSet<>(Set.of("127.0.0.1", "localhost", "[::1]"));
        String literal = listen.getHostAddress();
        hosts.add(literal.contains(":") ? "[" + literal + "]" : literal);
        return hosts;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        open.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        executor.shutdownNow();
    }
}
