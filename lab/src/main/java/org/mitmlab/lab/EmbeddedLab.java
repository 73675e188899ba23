package org.mitmlab.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mitmlab.dashboard.DashboardServer;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.dashboard.ProxyAutoConfig;
import org.mitmlab.dashboard.EventHub;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.EventLog;
import org.mitmlab.event.EventSink;
import org.mitmlab.event.JsonLinesEventWriter;
import org.mitmlab.net.KeyLogFile;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.origin.PlainHttpService;
import org.mitmlab.origin.SiteResponse;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.mitmlab.probe.VantageService;
import org.mitmlab.proxy.InterceptionPolicy;
import org.mitmlab.proxy.LabUpstreams;
import org.mitmlab.proxy.ProxyConfig;
import org.mitmlab.proxy.ProxyServer;

/**
 * The whole lab in one JVM on loopback: national PKI, simulated public PKI, the simulated Internet
 * (with its CT log and a vantage service, {@code vantage.lab}, for {@code mitmlab detect}) and the
 * intercepting proxy, and the dashboard when the config asks for one. Start with {@link #start}; {@link #close} stops everything and
 * removes {@code lab.json}. The first start generates keys (a few seconds); later starts reuse them.
 */
public final class EmbeddedLab implements AutoCloseable {
    private static final int EVENT_LOG_CAPACITY = 20_000;
    private static final long EVENTS_FILE_CAP = 64L * 1024 * 1024;
    /** About 16,000 intercepted connections (two TLS 1.3 handshakes of ~800 bytes each) per file. */
    private static final long KEY_LOG_FILE_CAP = 32L * 1024 * 1024;
    private static final int KEY_STOCK = 32;
    private static final int FORGERY_CACHE_CAPACITY = 10_000;
    /** Names the lab serves besides its sites: the CA repository, the CT log and the vantage service. */
    static final List<String> SERVICE_HOSTS = List.of(WebPki.REPOSITORY_HOST, WebPki.CT_LOG_HOST, VantageService.HOST);

    private final LabConfig config;
    private final NationalPki nationalPki;
    private final WebPki webPki;
    private final Transport transport;
    private final OriginServer origin;
    private final ForgeryCache forgeries;
    private final PhasedForgeries phasedForgeries;
    private final EventLog eventLog;
    private final JsonLinesEventWriter eventWriter;
    private final ProxyServer proxy;
    private final DashboardServer dashboard;
    private final boolean advertised;
    private final VantageService vantage;
    private final KeyLogFile keyLog;
    private final ScenarioPlayer player;
    private final List<AttackerProxy> attackers;

    /** A scenario's second interceptor, running on its own listener. */
    public record AttackerProxy(String name, String about, ProxyServer server, ForgeryCache forgeries) {
        public InetSocketAddress address() {
            return server.address();
        }
    }

    private EmbeddedLab(LabConfig config, NationalPki nationalPki, WebPki webPki, Transport transport, OriginServer origin,
            ForgeryCache forgeries, EventLog eventLog, JsonLinesEventWriter eventWriter, ProxyServer proxy,
            DashboardServer dashboard, boolean advertised, VantageService vantage, KeyLogFile keyLog, ScenarioPlayer player,
            List<AttackerProxy> attackers, PhasedForgeries phasedForgeries) {
        this.phasedForgeries = phasedForgeries;
        this.player = player;
        this.attackers = List.copyOf(attackers);
        this.keyLog = keyLog;
        this.advertised = advertised;
        this.dashboard = dashboard;
        this.vantage = vantage;
        this.config = config;
        this.nationalPki = nationalPki;
        this.webPki = webPki;
        this.transport = transport;
        this.origin = origin;
        this.forgeries = forgeries;
        this.eventLog = eventLog;
        this.eventWriter = eventWriter;
        this.proxy = proxy;
    }

    /**
     * Starts the lab. {@code progress} receives one line per slow step (key generation).
     * Throws {@link java.net.BindException} (possibly wrapped) when the proxy port is taken.
     */
    public static EmbeddedLab start(LabConfig config, Clock clock, SecureRandom random, Consumer<String> progress)
            throws InterruptedException {
        return start(config, clock, random, progress, true);
    }

    /**
     * @param advertise write {@code lab.json} so other commands find this lab; false for short-lived
     *                  labs (demo, tests) that must not shadow a lab the student started
     */
    public static EmbeddedLab start(LabConfig config, Clock clock, SecureRandom random, Consumer<String> progress,
            boolean advertise) throws InterruptedException {
        StateDir dir = config.stateDir().prepare();
        LabPki pki = LabPki.prepare(config, clock, random, progress);
        WebPki webPki = pki.web();
        Map<String, SiteCredential> credentials = pki.sites();

        Transport transport = Transport.create(0);
        TlsContexts tls = new TlsContexts(true);
        OriginServer origin = null;
        ForgeryCache forgeries = null;
        JsonLinesEventWriter writer = null;
        ProxyServer proxy = null;
        DashboardServer dashboard = null;
        VantageService vantage = null;
        KeyLogFile keyLog = null;
        ScenarioPlayer player = null;
        PhasedForgeries phased = null;
        List<AttackerProxy> attackers = new ArrayList<>();
        if (config.keyLog() && !tls.supportsKeyLog()) {
            throw new LabStartException("cannot write a TLS key log: netty-tcnative (BoringSSL) did not load on this machine, "
                    + "and the JDK's TLS provider does not expose TLS 1.3 secrets; start the lab without --key-log", null);
        }
        try {
            origin = new OriginServer(transport, tls, config.catalogue(), credentials, webPki, clock)
                    .start(InetAddress.getLoopbackAddress(), 0, 0);
            forgeries = ForgeryCache.forProfile(pki.national(), config.profile(), KEY_STOCK, FORGERY_CACHE_CAPACITY, random);
            EventLog log = new EventLog(EVENT_LOG_CAPACITY);
            EventJson json = new EventJson();
            writer = new JsonLinesEventWriter(dir.events(), EVENTS_FILE_CAP, 3, json);
            EventHub hub = config.hasDashboard() ? new EventHub(json) : null;
            EventSink sink = EventSink.fanOut(hub == null ? List.of(log, writer) : List.of(log, writer, hub));
            ResolvedScenario scenario = config.scenario();
            sink.emit(ScenarioPlayer.started(clock, scenario.name(), scenario.student().student(), "embedded",
                    Fingerprint.spkiOf(pki.national().root().certificate()).sha256Hex(), config.holdPhase().isEmpty()));
            player = ScenarioPlayer.start(scenario.name(), scenario.scenario().timeline(), config.holdPhase(), sink, clock, progress);
            java.util.concurrent.atomic.AtomicLong vantageIds = new java.util.concurrent.atomic.AtomicLong();
            vantage = new VantageService(origin.httpsAddress(), config.catalogue()::isInsideLab, Duration.ofSeconds(5),
                    (host, outcome) -> sink.emit(new VantageQueried("vantage-" + vantageIds.incrementAndGet(), clock.instant(), host, outcome)));
            origin.serve(VantageService.HOST, served(vantage));
            org.mitmlab.trust.SpkiBlocklist browserBlock = BrowserPolicy.write(dir, scenario.scenario().blockNationalRoot(),
                    pki.national().root().certificate());
            LabUpstreams upstreams = new LabUpstreams(config.catalogue(), origin.httpsAddress(), origin.httpAddress(),
                    java.util.Set.copyOf(SERVICE_HOSTS));
            ScenarioPlayer timeline = player;
            DomainCatalogue catalogue = config.catalogue();
            InterceptionPolicy policy = new InterceptionPolicy(name -> timeline.intercepting() && catalogue.isTargeted(name),
                    upstreams::mayRoute);
            ProxyConfig proxyConfig = new ProxyConfig(new InetSocketAddress(config.bind(), config.proxyPort()),
                    webPki.trustBundle(), Duration.ofSeconds(5));
            // only the proxy's contexts log: they hold both legs (client-facing and upstream) of every interception
            TlsContexts proxyTls = tls;
            if (config.keyLog()) {
                keyLog = new KeyLogFile(dir.keyLog(), KEY_LOG_FILE_CAP, 1);
                proxyTls = tls.withKeyLog(keyLog);
            }
            phased = PhasedForgeries.of(forgeries, config.profile(), scenario.scenario().timeline(), pki.national(),
                    FORGERY_CACHE_CAPACITY, random, player);
            proxy = new ProxyServer(proxyConfig, policy, upstreams, phased, proxyTls, transport, sink, clock).start();
            int port = config.proxyPort();
            for (Scenario.Attacker a : scenario.scenario().attackers()) {
                // an attacker's own listener next to the box's (8090, 8091, ... for the default 8080)
                int attackerPort = port == 0 ? 0 : port + 10 + attackers.size();
                ForgeryCache stolen = ForgeryCache.forProfile(pki.national(), a.forgery(), 4, 1_000, random);
                java.util.Set<String> names = java.util.Set.copyOf(a.targets());
                ProxyServer server;
                try {
                    server = new ProxyServer(new ProxyConfig(new InetSocketAddress(config.bind(), attackerPort),
                            webPki.trustBundle(), Duration.ofSeconds(5)), new InterceptionPolicy(names::contains, upstreams::mayRoute),
                            upstreams, stolen, tls, transport, sink, clock, a.name()).start();
                } catch (Exception e) {
                    stolen.close();
                    throw e;
                }
                attackers.add(new AttackerProxy(a.name(), a.about(), server, stolen));
            }
            if (hub != null) {
                dashboard = startDashboard(config, transport, log, hub, pki.national(), clock, json,
                        proxyAutoConfig(config, proxy.address().getPort()));
            }
            EmbeddedLab lab = new EmbeddedLab(config, pki.national(), webPki, transport, origin, forgeries, log, writer,
                    proxy, dashboard, advertise, vantage, keyLog, player, attackers, phased);
            ScenarioPopulation.start(scenario, config.catalogue(), new SimulatedPopulation(proxy.address(), webPki.trustBundle(),
                    pki.national().root().certificate(), browserBlock), progress);
            if (advertise) {
                new LabInfo(ProcessHandle.current().pid(), "embedded", hostPort(proxy.address()), hostPort(origin.httpsAddress()),
                    hostPort(origin.httpAddress()), clock.instant().toString(), dashboard == null ? null : dashboard.url(),
                    scenario.name(), scenario.scenario().studentRootInstalled())
                    .write(dir.labInfo());
            }
            return lab;
        } catch (Exception e) { // Netty's bind() rethrows checked exceptions (BindException) unchecked
            List<AutoCloseable> parts = new ArrayList<>(List.of());
            attackers.forEach(a -> {
                parts.add(a.server());
                parts.add(a.forgeries());
            });
            closeQuietly(parts.toArray(AutoCloseable[]::new));
            closeQuietly(dashboard, proxy, player, writer, phased, forgeries, vantage, origin, transport, keyLog);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new LabStartException("cannot start the lab: " + e.getMessage(), e);
        }
    }

    /** Every name the lab answers for: its sites, targeted or not, and its services (CA repository, CT log, vantage). */
    static List<String> labNames(LabConfig config) {
        List<String> names = new ArrayList<>(config.catalogue().targeted());
        names.addAll(config.catalogue().controls());
        names.addAll(SERVICE_HOSTS);
        return names;
    }

    /** Browsers reach the proxy on loopback whatever its --bind: the PAC file is served to this machine only. */
    private static ProxyAutoConfig proxyAutoConfig(LabConfig config, int proxyPort) {
        return ProxyAutoConfig.loopback(proxyPort, labNames(config));
    }

    private static DashboardServer startDashboard(LabConfig config, Transport transport, EventLog log, EventHub hub,
            NationalPki national, Clock clock, EventJson json, ProxyAutoConfig pac) throws InterruptedException {
        // the dashboard shows captured passwords: loopback only, whatever the proxy's --bind
        InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.dashboardPort());
        DashboardServer dashboard = new DashboardServer(listen, transport, log, hub, config.catalogue()::isTargeted,
                national.root().certificate(), clock, json, pac);
        try {
            return dashboard.start();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // BindException, rethrown unchecked by Netty
            dashboard.close();
            throw new DashboardStartException("cannot start the dashboard on " + listen.getAddress().getHostAddress() + ":"
                    + config.dashboardPort() + ": " + e.getMessage(), e);
        }
    }

    /** Start-up failed; the cause says why (a port in use is a {@link java.net.BindException}). */
    public static class LabStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LabStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The dashboard could not start (its port is taken, most likely); the proxy's port was fine. */
    public static final class DashboardStartException extends LabStartException {
        private static final long serialVersionUID = 1L;

        DashboardStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The vantage service as a service of the simulated Internet's plain-HTTP listener. */
    private static PlainHttpService served(VantageService vantage) {
        return (method, target) -> vantage.handle(method, target).thenApply(r -> new SiteResponse(r.status(), r.contentType(), r.body()));
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    public InetSocketAddress proxyAddress() {
        return proxy.address();
    }

    /** The dashboard, when this lab runs one ({@link LabConfig#withDashboardPort}). */
    public java.util.Optional<DashboardServer> dashboard() {
        return java.util.Optional.ofNullable(dashboard);
    }

    public InetSocketAddress originHttpsAddress() {
        return origin.httpsAddress();
    }

    public InetSocketAddress originHttpAddress() {
        return origin.httpAddress();
    }

    /** The TLS key log this lab writes, when started with {@link LabConfig#keyLog()}. */
    public java.util.Optional<java.nio.file.Path> keyLogFile() {
        return java.util.Optional.ofNullable(keyLog).map(KeyLogFile::file);
    }

    public LabConfig config() {
        return config;
    }

    public NationalPki nationalPki() {
        return nationalPki;
    }

    public WebPki webPki() {
        return webPki;
    }

    public X509Certificate nationalRoot() {
        return nationalPki.root().certificate();
    }

    /** Recent events in memory (the same ones that go to events.jsonl). */
    public EventLog events() {
        return eventLog;
    }

    public ForgeryCache forgeries() {
        return forgeries;
    }

    public String transportName() {
        return transport.name();
    }

    @Override
    public void close() {
        if (advertised) {
            try {
                java.nio.file.Files.deleteIfExists(config.stateDir().labInfo());
            } catch (IOException e) {
                // a stale lab.json is ignored by readers (its pid is dead); nothing to do
            }
        }
        for (AttackerProxy a : attackers) {
            closeQuietly(a.server(), a.forgeries());
        }
        closeQuietly(dashboard, proxy, player, vantage, origin, phasedForgeries, forgeries, transport, eventWriter, keyLog);
    }

    /** The scenario's timeline as it plays (or the phase it holds). */
    public ScenarioPlayer timeline() {
        return player;
    }

    /** The scenario's other interceptors (stolen-root's attacker), each on its own port. */
    public List<AttackerProxy> attackers() {
        return attackers;
    }

    private static void closeQuietly(AutoCloseable... parts) {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable p : parts) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(EmbeddedLab.class).warn("Stopping the lab: {}", failures.get(0).toString());
        }
    }
}
