package org.mitmlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.mitmlab.domains.TargetList;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.EventSink;
import org.mitmlab.event.JsonLinesEventWriter;
import org.mitmlab.lab.ScenarioPlayer;
import org.mitmlab.lab.StateDir;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.PkiException;
import org.mitmlab.proxy.AllowListUpstreams;
import org.mitmlab.proxy.Cidr;
import org.mitmlab.proxy.InterceptionPolicy;
import org.mitmlab.proxy.ProxyConfig;
import org.mitmlab.proxy.ProxyServer;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.StudentKey;
import org.mitmlab.scenario.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab proxy}: the interceptor alone, in front of servers the instructor runs (and what the
 * benchmark drives). Forges with the lab's national root from the state directory. In the Docker
 * lab's box (docker/roles/box.sh) it also plays a scenario: {@code --scenario} gives the forgery
 * profile and the timeline, {@code --targets} still the names, so no instructor secret ever enters
 * a container.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run only the intercepting proxy, in front of your own servers. Names in --targets are "
                + "intercepted with the national root of --state-dir; other names pass through untouched. "
                + "Upstreams must be loopback or private addresses unless --allow-upstream says otherwise.")
public final class ProxyCommand implements Runnable {
    /**
     * Forged-leaf keys generated ahead. Java's RSA key search takes 100-150 ms of CPU per key (e = 3
     * rejects half the primes), on the core that relays traffic: 16 keys are ready in about two
     * seconds, and the stock refills when the proxy is quiet.
     */
    static final int KEY_STOCK = 16;
    /** How long a --warm-up start waits for that stock before listening anyway (a benchmark harness waits about 10 s for the port). */
    static final Duration KEY_STOCK_WAIT = Duration.ofSeconds(6);

    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--targets", required = true, paramLabel = "FILE",
            description = "Names to intercept, one per line; *.example.com matches every name below example.com. "
                    + "With --scenario the file may list none (the box intercepts nothing).")
    private Path targets;

    @Option(names = "--upstream-trust", required = true, paramLabel = "PEM",
            description = "CA certificates the proxy trusts when it connects to your servers.")
    private Path upstreamTrust;

    @Option(names = "--upstream", paramLabel = "HOST:PORT",
            description = "Send every connection here instead of resolving its name (the name still decides interception).")
    private String upstream;

    @Option(names = "--allow-upstream", paramLabel = "CIDR",
            description = "Also allow upstream addresses in this range (repeatable). Loopback and private ranges are always allowed.")
    private List<String> allowUpstream = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Listen address. Default: ${DEFAULT-VALUE}")
    private String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Listen port. Default: ${DEFAULT-VALUE}")
    private int port;

    @Option(names = "--events", paramLabel = "FILE|none",
            description = "Where flow events go. Default: events.jsonl in the state directory; 'none' to keep none.")
    private String events;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "0",
            description = "Once listening, also run the interception path this long (at most 60) on a private loopback "
                    + "proxy and origin, so the JIT compiles it while clients are already served; the key stock is "
                    + "filled before listening (0: neither). Useful for benchmarks and before a class.")
    private int warmUpSeconds;

    @Option(names = "--no-resumption",
            description = "Make every client handshake a full one: no TLS session tickets or session cache. For benchmarks "
                    + "whose origin resumes nothing either (h2load, for one, resumes when it can).")
    private boolean noResumption;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Event-loop threads (0: one per CPU).")
    private int workers;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Play this scenario file (what the Docker lab's box does): forge with its profile and intercept "
                    + "the --targets names only while its timeline's phase intercepts; the events file starts with "
                    + "lab-started and gets each phase change. Without it: the kz-2019 profile, always intercepting.")
    private Path scenarioFile;

    @Option(names = "--phase", paramLabel = "PHASE",
            description = "With --scenario: hold this phase instead of playing the timeline.")
    private String phase;

    @Option(names = "--day", paramLabel = "DURATION",
            description = "With --scenario: how long one day of its timeline lasts (e.g. 5s). Default: the scenario's own.")
    private String day;

    @Option(names = "--student", paramLabel = "ID",
            description = "With --scenario: the student whose variant --targets is, named in the lab-started event. Default: demo.")
    private String student;

    @Override
    public void run() {
        StateDir dir = stateDir.stateDir().prepare();
        Optional<Scenario> scenario = readScenario();
        TargetList targetList = readTargets(scenario.isPresent());
        List<X509Certificate> trust = readTrust();
        List<Cidr> allowed = new ArrayList<>();
        for (String c : allowUpstream) {
            allowed.add(Cidr.parse(c));
        }
        InetSocketAddress fixed = upstream == null ? null : parseHostPort(upstream);
        InetSocketAddress listen = new InetSocketAddress(UpCommand.bindAddress(bind), UpCommand.checkedPort(port, "--port"));
        // before a first national PKI and the warm-up, which take seconds
        LabStarter.checkFree(listen.getAddress(), listen.getPort(), "--port");
        SecureRandom random = new SecureRandom();
        NationalPki pki = NationalPki.loadOrGenerate(dir.root(), Clock.systemUTC(), random, NationalPki.DEFAULT_VALIDITY).pki();
        ForgeryProfile profile = scenario.map(Scenario::forgery).orElse(ForgeryProfile.kz2019());
        ExecutorService resolver = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mitmlab-resolver");
            t.setDaemon(true);
            return t;
        });
        Transport transport = Transport.create(workers);
        TlsContexts tls = new TlsContexts(true);
        if (noResumption && tls.provider() != io.netty.handler.ssl.SslProvider.OPENSSL) {
            transport.close();
            resolver.shutdownNow();
            throw UserError.of("--no-resumption needs BoringSSL (netty-tcnative), which did not load on this machine; "
                    + "run without --no-resumption");
        }
        ForgeryCache forgeries = ForgeryCache.forProfile(pki, profile, KEY_STOCK, 100_000, random);
        // keys before listening, so that no first visit waits for a key search; the warm-up comes after
        awaitKeyStock(forgeries);
        JsonLinesEventWriter writer = openEvents(dir);
        EventSink sink = writer == null ? EventSink.none() : writer;
        ScenarioPlayer player = scenario.map(s -> play(s, pki, sink)).orElse(null);
        org.mitmlab.lab.PhasedForgeries phased = player == null ? null
                : org.mitmlab.lab.PhasedForgeries.of(forgeries, profile, scenario.get().timeline(), pki, 100_000, random, player);
        // everything but the listener, newest first; for a failed start and for Ctrl-C alike
        Runnable closeParts = () -> {
            if (player != null) {
                player.close();
            }
            if (phased != null) {
                phased.close();
            }
            forgeries.close();
            resolver.shutdownNow();
            transport.close();
            if (writer != null) {
                writer.close();
            }
        };
        Predicate<String> targeted = player == null ? targetList::matches
                : name -> player.intercepting() && targetList.matches(name);
        AllowListUpstreams upstreams = new AllowListUpstreams(fixed, allowed, resolver);
        ProxyServer server;
        try {
            ProxyConfig config = new ProxyConfig(listen, trust, Duration.ofSeconds(5));
            server = new ProxyServer(noResumption ? config.withoutSessionResumption() : config, new InterceptionPolicy(targeted, upstreams::mayRoute),
                    upstreams, phased != null ? phased : forgeries, tls, transport, sink, Clock.systemUTC()).start();
        } catch (Exception e) { // Netty's bind() rethrows BindException unchecked
            closeParts.run();
            if (LabStarter.isAddressInUse(e)) {
                throw UserError.portInUse(bind + ":" + port, "--port");
            }
            throw new IllegalStateException("cannot start the proxy: " + e, e);
        }
        spec.commandLine().getOut().println("mitmlab proxy on " + server.address().getAddress().getHostAddress() + ":" + server.address().getPort() + ": intercepting " + targetList.size()
                + " target entries with " + dir.nationalRoot() + "; events: " + (writer == null ? "none" : writer.file())
                + (noResumption ? "; TLS session resumption off" : "")
                + (warmUpSeconds > 0 ? "; warming up for " + warmUpBudget().toSeconds() + " s" : "")
                + scenario.map(s -> "; scenario " + s.name() + ", phase " + player.currentPhase().name()).orElse(""));
        spec.commandLine().getOut().flush();
        Thread warmUp = startWarmUp(transport, tls);
        UntilStopped.await(() -> {
            stopWarmUp(warmUp);
            server.close();
            closeParts.run();
        });
    }

    /** The --scenario file, with --phase checked against its timeline; empty without --scenario. */
    private Optional<Scenario> readScenario() {
        if (scenarioFile == null) {
            if (phase != null || student != null || day != null) {
                throw UserError.of((phase != null ? "--phase" : student != null ? "--student" : "--day") + " needs --scenario FILE: give the scenario "
                        + "whose timeline and variant the proxy plays");
            }
            return Optional.empty();
        }
        if (!Files.isRegularFile(scenarioFile)) {
            throw UserError.missingFile("--scenario", scenarioFile);
        }
        Scenario s;
        try {
            // the Docker lab stages it as scenario.yaml, so its name need not match the file's
            s = new ScenarioLoader().loadCopy(scenarioFile);
        } catch (ScenarioException e) {
            throw UserError.of(e.getMessage());
        }
        if (phase != null && s.timeline().phase(phase).isEmpty()) {
            throw UserError.of("scenario " + s.name() + " has no phase '" + phase + "': use one of "
                    + String.join(", ", s.timeline().phases().stream().map(Timeline.Phase::name).toList()));
        }
        if (day != null) {
            s = s.withDay(ScenarioOptions.checkedDay(day, "--day"));
        }
        if (student != null) {
            try {
                student = StudentKey.normaliseId(student);
            } catch (ScenarioException e) {
                throw UserError.of("--student: " + e.getMessage());
            }
        }
        return Optional.of(s);
    }

    /**
     * The events of the embedded lab: lab-started, then the first phase; the player then switches
     * interception on and off on the scenario's schedule (or holds --phase).
     */
    private ScenarioPlayer play(Scenario s, NationalPki pki, EventSink sink) {
        Clock clock = Clock.systemUTC();
        String who = student != null ? student : ResolvedScenario.DEMO_STUDENT.student();
        sink.emit(ScenarioPlayer.started(clock, s.name(), who, "docker", Fingerprint.spkiOf(pki.root().certificate()).sha256Hex(),
                phase == null));
        PrintWriter out = spec.commandLine().getOut();
        return ScenarioPlayer.start(s.name(), s.timeline(), Optional.ofNullable(phase), sink, clock, line -> {
            out.println(line);
            out.flush();
        });
    }

    /** With a scenario the list may be empty: a scenario that targets nothing (baseline) still runs its box. */
    private TargetList readTargets(boolean mayBeEmpty) {
        if (!Files.isRegularFile(targets)) {
            throw UserError.missingFile("--targets", targets);
        }
        return TargetList.read(targets, mayBeEmpty);
    }

    private List<X509Certificate> readTrust() {
        if (!Files.isRegularFile(upstreamTrust)) {
            throw UserError.missingFile("--upstream-trust", upstreamTrust);
        }
        try {
            return PemFiles.readCertificates(upstreamTrust);
        } catch (PkiException e) {
            throw UserError.of("--upstream-trust " + upstreamTrust + " holds no usable PEM certificate: give the CA file your servers' certificates chain to", e);
        }
    }

    private JsonLinesEventWriter openEvents(StateDir dir) {
        if ("none".equals(events)) {
            return null;
        }
        Path file = events == null ? dir.events() : Path.of(events);
        try {
            return new JsonLinesEventWriter(file, 64L * 1024 * 1024, 3, new EventJson());
        } catch (IOException e) {
            throw UserError.of("cannot write events to " + file + ": " + e.getMessage() + "; choose another --events file", e);
        }
    }

    static InetSocketAddress parseHostPort(String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int p = Integer.parseInt(text.substring(colon + 1));
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(text.substring(0, colon).replace("[", "").replace("]", ""), p);
        } catch (NumberFormatException e) {
            throw UserError.of("--upstream " + text + " is not HOST:PORT: write it like 127.0.0.1:443");
        }
    }

    /**
     * With {@code --warm-up}: the interception path on a private proxy and origin, on a thread of its own
     * while the real listener serves. Before, the warm-up ran before listening, which capped it at the
     * few seconds a benchmark harness waits for the port; a class waits for nothing.
     */
    private Thread startWarmUp(Transport transport, TlsContexts tls) {
        if (warmUpSeconds <= 0) {
            return null;
        }
        PrintWriter out = spec.commandLine().getOut();
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            try {
                var done = org.mitmlab.lab.WarmUp.run(transport, tls, warmUpBudget());
                out.printf("Warmed up: %d intercepted requests (%d first visits, %d sites of which %d home-made, %d from single clients) in %.1f s%n",
                        done.requests(), done.firstVisits(), done.sites(), done.homeMadeSites(), done.singleClients(),
                        (System.nanoTime() - start) / 1e9);
                out.flush();
            } catch (InterruptedException e) {
                // stopped with the proxy: nothing to report
            }
        }, "mitmlab-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Duration warmUpBudget() {
        return Duration.ofSeconds(Math.min(warmUpSeconds, 60));
    }

    /** Ends a running warm-up before the event loops it uses close, so it leaves without errors. */
    private static void stopWarmUp(Thread warmUp) {
        if (warmUp == null) {
            return;
        }
        warmUp.interrupt();
        try {
            warmUp.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * With {@code --warm-up}: waits (bounded) for the key stock, so no key search runs on the proxy's
     * core while the first clients arrive.
     */
    private void awaitKeyStock(ForgeryCache forgeries) {
        if (warmUpSeconds <= 0) {
            return;
        }
        try {
            long start = System.nanoTime();
            boolean full = forgeries.awaitKeyStock(KEY_STOCK_WAIT);
            spec.commandLine().getOut().printf("Key stock: %d keys %s in %.1f s; forged leaves signed by %s%n", KEY_STOCK,
                    full ? "ready" : "still filling", (System.nanoTime() - start) / 1e9, forgeries.signatures().name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
