package org.mitmlab.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mitmlab.detect.CertificateFacts;
import org.mitmlab.detect.Detectors;
import org.mitmlab.detect.HostObservations;
import org.mitmlab.detect.HostReport;
import org.mitmlab.detect.KnownRoots;
import org.mitmlab.detect.PinSet;
import org.mitmlab.detect.ReferenceData;
import org.mitmlab.detect.TrustBundles;
import org.mitmlab.detect.Verdict;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;
import org.mitmlab.domains.LabSite;
import org.mitmlab.lab.StateDir;
import org.mitmlab.net.Loopback;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.PkiException;
import org.mitmlab.pki.WebPki;
import org.mitmlab.probe.ChainFetcher;
import org.mitmlab.probe.CtLogClient;
import org.mitmlab.probe.HostProbe;
import org.mitmlab.probe.PathUnderTest;
import org.mitmlab.probe.Vantage;
import org.mitmlab.probe.VantageService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab detect}: connects the way a student's machine does, observes each host from a
 * vantage point that avoids that path, asks the CT log, runs every detector and prints a verdict per
 * host with the findings behind it. Exit code: 0 nothing found, 10 interception found, 11 could not tell.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Find the interception the way researchers did in 2019: connect through the lab's proxy as a machine "
                + "that installed the national root, compare with a vantage point that avoids the proxy, and run every "
                + "detector (untrusted issuer, vantage mismatch, SNI differential, known interception root, CT, pins, and "
                + "heuristic forgery tells). Prints a verdict per host (genuine / intercepted / inconclusive) with the "
                + "evidence. Needs a running lab (mitmlab up) for the trust store, the vantage service and the CT log; "
                + "with --docker it runs in the Docker lab's client instead (no proxy settings: the isp redirects on the way) "
                + "and compares with the vantage container.",
            "Traffic goes only to this machine or private addresses."},
        footer = {"", "Exit codes: 0 nothing found, 10 interception found on at least one host, 11 could not tell for at "
                + "least one host (and nothing found), 2 usage error, 3 user error, 4 no running lab."})
public final class DetectCommand implements Callable<Integer> {
    /** Bound of each connect, read and handshake. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Hosts observed at once. */
    static final int PARALLELISM = 4;
    /** Names sent as the "unrelated" SNI: control sites the 2019 box left alone. */
    static final List<String> UNRELATED_NAMES = List.of("halykbank.kz", "kaspi.kz");
    /** The national intermediate's certificate in the state directory (NationalPki writes it there). */
    static final String NATIONAL_INTERMEDIATE = "national-intermediate.pem";
    static final String DEFAULT_VANTAGE = "http://" + VantageService.HOST + VantageService.PATH;

    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Parameters(paramLabel = "HOST", arity = "0..*", description = "Lab names to check, e.g. vk.com halykbank.kz.")
    private List<String> hosts = new ArrayList<>();

    @Option(names = "--all", description = "Check every site of the lab (the 37 targeted and the 11 control names).")
    private boolean all;

    @Option(names = "--json", description = "Print JSON (verdicts, findings, evidence) for scripts and grading.")
    private boolean json;

    @Option(names = "--proxy", paramLabel = "HOST:PORT",
            description = "Examine this explicit proxy (CONNECT, then TLS). Default: the running lab's proxy.")
    private String proxy;

    @Option(names = "--connect", paramLabel = "HOST:PORT",
            description = "Examine a box that takes TLS straight in (a transparent set-up, or the lab proxy's SNI routing) instead of a proxy.")
    private String connect;

    @Option(names = "--trust", paramLabel = "PEM",
            description = "What the student's machine trusts. Default: roots-with-national.pem of the state directory "
                    + "(a machine that installed the national root).")
    private Path trust;

    @Option(names = "--vantage", paramLabel = "DIRECT|URL",
            description = "The comparison path. Default: the lab's vantage service, " + DEFAULT_VANTAGE
                    + ". DIRECT: this process connects straight to the simulated Internet. URL: another vantage service "
                    + "(GET URL?host=NAME).")
    private String vantage;

    @Option(names = "--docker", description = "Run in the Docker lab's client container (mitmlab up --docker), as the "
            + "student's machine there: TLS to each site's own address, no proxy settings; the vantage container compares from abroad.")
    private boolean docker;

    @Override
    public Integer call() throws InterruptedException {
        if (all == !hosts.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "name the hosts to check, or use --all (not both)");
        }
        if (proxy != null && connect != null) {
            throw new ParameterException(spec.commandLine(), "--proxy and --connect examine two different paths: choose one");
        }
        if (docker) {
            return inClient();
        }
        StateDir dir = stateDir.stateDir();
        DetectLab lab = DetectLab.find(dir);
        List<String> names = all ? DomainCatalogue.kz2019().sites().stream().map(LabSite::name).toList() : checkedNames();
        Path clientTrust = trust != null ? trust : lab.trust();
        TrustBundles bundles = new TrustBundles(certificates(dir.publicRoots(), "the lab's public trust store"),
                certificates(clientTrust, "--trust"));
        PathUnderTest path = connect != null ? PathUnderTest.connect(address(connect, "--connect"))
                : proxy != null ? PathUnderTest.proxy(address(proxy, "--proxy")) : lab.path();
        ChainFetcher fetcher = new ChainFetcher(TIMEOUT);
        InetSocketAddress labHttp = lab.labHttp();
        Vantage comparison = vantage(lab, labHttp, fetcher);
        HostProbe probe = new HostProbe(path, Optional.of(comparison), Optional.of(new CtLogClient(labHttp, WebPki.CT_LOG_HOST, TIMEOUT)),
                bundles, DetectCommand::unrelatedName, fetcher, Clock.systemUTC());
        ReferenceData reference = new ReferenceData(knownRoots(dir), pins(dir));

        List<HostObservations> observed = probe.observeAll(names, PARALLELISM, Duration.ofSeconds(30));
        List<HostReport> reports = observed.stream().map(o -> Detectors.run(o, reference)).toList();
        int code = exitCode(reports);
        DetectOutput output = new DetectOutput(spec.commandLine().getOut());
        if (json) {
            output.json(reports, code, path.description().description(), comparison.path().description(), clientTrust);
        } else {
            output.text(reports, code, path.description().description(), comparison.path().description(), clientTrust);
        }
        return code;
    }

    /** 10 when any host is intercepted, else 11 when any is inconclusive, else 0. */
    static int exitCode(List<HostReport> reports) {
        if (reports.stream().anyMatch(r -> r.verdict() == Verdict.INTERCEPTED)) {
            return ExitCodes.INTERCEPTION_FOUND;
        }
        if (reports.stream().anyMatch(r -> r.verdict() == Verdict.INCONCLUSIVE)) {
            return ExitCodes.INCONCLUSIVE;
        }
        return ExitCodes.OK;
    }

    static String unrelatedName(String host) {
        return UNRELATED_NAMES.stream().filter(n -> !n.equals(host)).findFirst().orElseThrow();
    }

    private List<String> checkedNames() {
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            String name = HostNames.normalize(h).orElseThrow(() -> UserError.of("'" + h + "' is not a host name: name lab sites such as vk.com"));
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * {@code mitmlab detect --docker ...}: the same command, run by the client container's own
     * mitmlab against its state directory; its output and exit code are this command's.
     */
    private int inClient() throws InterruptedException {
        if (proxy != null || connect != null || trust != null) {
            throw new ParameterException(spec.commandLine(), "--docker examines the client's own path with its own trust store: "
                    + "drop --proxy, --connect and --trust (or run 'mitmlab shell client' and use them there)");
        }
        List<String> command = new ArrayList<>(List.of("mitmlab", "detect", "--state-dir", DetectLab.CLIENT_STATE_DIR));
        command.addAll(all ? List.of("--all") : checkedNames());
        if (json) {
            command.add("--json");
        }
        if (vantage != null) {
            command.addAll(List.of("--vantage", vantage));
        }
        return ClientContainer.exec(command, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private Vantage vantage(DetectLab lab, InetSocketAddress labHttp, ChainFetcher fetcher) {
        if (vantage == null) {
            return lab.defaultVantage().map(url -> vantageService(url, labHttp))
                    .orElseGet(() -> Vantage.service(URI.create(DEFAULT_VANTAGE), labHttp, TIMEOUT));
        }
        if (vantage.equalsIgnoreCase("direct")) {
            return Vantage.direct(lab.internet().orElseThrow(() -> UserError.of("--vantage DIRECT connects from this process, which "
                    + "here would cross the path under test: use the lab's vantage service (the default)")), fetcher);
        }
        return vantageService(vantage, labHttp);
    }

    private Vantage vantageService(String vantage, InetSocketAddress labHttp) {
        URI url;
        try {
            url = new URI(vantage);
        } catch (URISyntaxException e) {
            throw UserError.of("--vantage " + vantage + " is neither DIRECT nor a URL: use DIRECT or http://HOST:PORT/PATH");
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw UserError.of("--vantage " + vantage + " is not an http:// URL: use DIRECT or http://HOST:PORT/PATH");
        }
        if (url.getHost().endsWith(".lab")) { // a lab name: the lab's plain-HTTP listener is its only address
            return Vantage.service(url, labHttp, TIMEOUT);
        }
        String hostPort = url.getHost() + ":" + (url.getPort() < 0 ? 80 : url.getPort());
        return Vantage.service(url, address(hostPort, "--vantage"), TIMEOUT);
    }

    private static List<X509Certificate> certificates(Path file, String what) {
        if (!Files.exists(file)) {
            throw UserError.missingFile(what, file);
        }
        try {
            return PemFiles.readCertificates(file);
        } catch (PkiException e) {
            throw UserError.of(what + " " + file + " holds no readable PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The shipped list plus this lab's national root and intermediate, read from the state directory now. */
    static KnownRoots knownRoots(StateDir dir) {
        KnownRoots known = KnownRoots.shipped();
        for (Path file : List.of(dir.nationalRoot(), dir.root().resolve(NATIONAL_INTERMEDIATE))) {
            if (Files.exists(file)) {
                X509Certificate c = certificates(file, "the lab's national CA").get(0);
                known = known.with(c, "this lab's " + CertificateFacts.subject(c) + " (" + file.getFileName() + ")", file.toString());
            }
        }
        return known;
    }

    /** Per-site pins from the genuine chains the lab's public CA issued, with the public root as backup pin. */
    private static PinSet pins(StateDir dir) {
        Map<String, List<X509Certificate>> chains = new LinkedHashMap<>();
        if (Files.isDirectory(dir.sites())) {
            try (Stream<Path> files = Files.list(dir.sites())) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                    String host = f.getFileName().toString().replaceFirst("\\.pem$", "");
                    if (HostNames.normalize(host).isPresent()) {
                        chains.put(host, certificates(f, "the genuine chain of " + host));
                    }
                }
            } catch (java.io.IOException e) {
                throw UserError.of("cannot list " + dir.sites() + ": " + e.getMessage(), e);
            }
        }
        Path root = dir.webPki().resolve("root.pem");
        List<X509Certificate> backup = Files.exists(root) ? certificates(root, "the lab's public root") : List.of();
        return PinSet.fromGenuineChains(chains, backup);
    }

    /** HOST:PORT of this machine or a private network, as an address; no DNS beyond "localhost". */
    static InetSocketAddress address(String hostPort, String what) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (RuntimeException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw UserError.of(what + " " + hostPort + " is not HOST:PORT: use for example 127.0.0.1:8080");
        }
        // only literals (an IPv4 dotted quad, anything with ':' is IPv6), so getByName never asks DNS
        if (!host.equals("localhost") && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.contains(":")) {
            throw UserError.of(what + " " + hostPort + ": give an IP address (detect does no DNS lookups), e.g. 127.0.0.1:" + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw UserError.of(what + " " + hostPort + " is not an IP address: use for example 127.0.0.1:" + port);
        }
        if (address.isAnyLocalAddress()) { // a lab started with --bind 0.0.0.0 also listens on loopback
            address = InetAddress.getLoopbackAddress();
        }
        if (!Loopback.isLoopbackOrPrivate(address)) {
            throw UserError.of(what + " " + hostPort + " is a public address: detect only talks to this machine or private networks");
        }
        return new InetSocketAddress(address, port);
    }
}
