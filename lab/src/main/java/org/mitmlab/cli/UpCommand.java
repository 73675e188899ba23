package org.mitmlab.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.mitmlab.dashboard.DashboardServer;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.LabInfo;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mitmlab up}: starts the embedded lab and runs until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Start the lab: by default the embedded one (national root, simulated Internet and intercepting "
                + "proxy in one JVM on 127.0.0.1); with --docker the classroom topology with a transparent box on the isp (or, if the scenario says so, the ix).")
public final class UpCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--proxy-port", paramLabel = "N", defaultValue = "8080",
            description = "Port of the proxy listener (0 picks a free one). Default: ${DEFAULT-VALUE}")
    private int proxyPort;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address of the proxy listener. Anything but loopback exposes the proxy to your network. Default: ${DEFAULT-VALUE}")
    private String bind;

    @Option(names = "--dashboard-port", paramLabel = "N", defaultValue = "8081",
            description = "Port of the dashboard page on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}")
    private int dashboardPort;

    @Option(names = "--no-dashboard", description = "Run without the dashboard page.")
    private boolean noDashboard;

    @Option(names = "--key-log", description = "Write the TLS secrets of both legs of every intercepted connection to "
            + "keys.log in the state directory (NSS SSLKEYLOGFILE format, for Wireshark; see 'mitmlab capture').")
    private boolean keyLog;

    @Option(names = "--docker", description = "Start the Docker lab (client, home-gw, isp, ix, internet, vantage) instead of the embedded one.")
    private boolean docker;

    @Mixin
    private ScenarioOptions scenarioOptions;

    @Option(names = "--base-image", paramLabel = "IMAGE",
            description = "JRE base of the Docker lab image. Default: mitmlab/base:1 when built here, else eclipse-temurin:17-jre")
    private String baseImage;

    @Option(names = "--stage-only", description = "With --docker: only write the keys, trust stores and hosts file the "
            + "containers mount (for docker/compose.yaml), print how to start them, and exit.")
    private boolean stageOnly;

    @Override
    public Integer call() {
        ScenarioOptions.Choice choice = scenarioOptions.choose();
        Scenario scenario = choice.scenario().scenario();
        Scenario.LabMode mode = docker || stageOnly ? Scenario.LabMode.DOCKER : Scenario.LabMode.EMBEDDED;
        if (!scenario.runsIn(mode)) {
            throw UserError.of("scenario " + scenario.name() + " runs in the " + (mode == Scenario.LabMode.DOCKER
                    ? "embedded lab only: drop --docker" : "Docker lab only: add --docker"));
        }
        if (!stageOnly || docker) {
            answerTemplate(choice);
        }
        if (stageOnly) {
            if (!docker) {
                throw UserError.of("--stage-only prepares the Docker lab's files: add --docker");
            }
            java.nio.file.Path stage = org.mitmlab.lab.docker.DockerLab.stage(
                    LabConfig.defaults(stateDir.stateDir()).withScenario(choice.scenario(), choice.hold()),
                    scenario.studentRootInstalled(), spec.commandLine().getOut()::println);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Staged the Docker lab's files in " + stage + " (scenario: " + scenario.name() + "). Start it with Compose:");
            out.println("  export MITMLAB_STAGE=" + stage);
            out.println("  docker compose -f docker/compose.yaml up -d --build");
            out.flush();
            return ExitCodes.OK;
        }
        if (docker) {
            int code = DockerSupport.relaunchWithTestcontainersEnv(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
            if (code >= 0) {
                return code;
            }
            new DockerUp(spec.commandLine().getOut(), stateDir.stateDir(), choice, baseImage).run();
            return ExitCodes.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        StateDir dir = stateDir.stateDir();
        LabInfo.readRunning(dir.labInfo()).ifPresent(info -> {
            throw UserError.of("a lab is already running from " + dir.root() + " (pid " + info.pid() + ", proxy "
                    + info.proxy() + "): use it, stop it, or start another with a different --state-dir");
        });
        LabConfig config = LabConfig.defaults(dir).withProxyPort(checkedPort(proxyPort)).withBind(bindAddress(bind))
                .withDashboardPort(noDashboard ? LabConfig.NO_DASHBOARD : checkedPort(dashboardPort, "--dashboard-port"))
                .withKeyLog(keyLog).withScenario(choice.scenario(), choice.hold());
        // before the PKI and the sites' certificates, which take seconds on a first start
        LabStarter.checkFree(config.bind(), config.proxyPort(), "--proxy-port");
        if (config.dashboardPort() != LabConfig.NO_DASHBOARD) {
            LabStarter.checkFree(java.net.InetAddress.getLoopbackAddress(), config.dashboardPort(),
                    "--dashboard-port (or turn it off with --no-dashboard)");
        }
        if (keyLog && !new org.mitmlab.net.TlsContexts(true).supportsKeyLog()) {
            throw UserError.of("--key-log needs netty-tcnative (BoringSSL), which did not load here; the JDK's TLS provider "
                    + "does not expose TLS 1.3 secrets: start without --key-log");
        }
        if (!config.bind().isLoopbackAddress()) {
            spec.commandLine().getErr().println("mitmlab: warning: the proxy listens on " + bind
                    + ", reachable from your network; the lab is meant for 127.0.0.1");
        }
        EmbeddedLab lab = LabStarter.start(config, line -> {
            out.println(line);
            out.flush();
        }, true);
        printBanner(out, lab);
        ScenarioBanner.print(out, lab, choice);
        UntilStopped.await(lab::close);
        return ExitCodes.OK;
    }

    /** A student's lab writes the exercise's answer file (once: filled-in answers are never overwritten). */
    private void answerTemplate(ScenarioOptions.Choice choice) {
        if (!choice.forStudent()) {
            return;
        }
        choice.scenario().scenario().exercise().flatMap(org.mitmlab.exercise.Exercises::byId).ifPresent(e -> {
            StateDir dir = stateDir.stateDir().prepare();
            org.mitmlab.exercise.AnswerTemplate.Outcome o = org.mitmlab.exercise.AnswerTemplate.write(dir.root(), e, choice.scenario().student());
            spec.commandLine().getOut().println((o.written() ? "Wrote your answer file " : "Your answer file is ") + o.file()
                    + " (exercise " + e.id() + "; check it with 'mitmlab check " + e.id() + "')");
        });
    }

    private static void printBanner(PrintWriter out, EmbeddedLab lab) {
        StateDir d = lab.config().stateDir();
        String proxy = "http://" + lab.proxyAddress().getAddress().getHostAddress() + ":" + lab.proxyAddress().getPort();
        String installed = shortPath(d.rootsWithNational());
        String refused = shortPath(d.publicRoots());
        out.println();
        out.println("mitmlab is running on loopback: " + lab.config().scenario().scenario().title());
        out.println("  proxy           " + proxy + "   (HTTP CONNECT proxy; TLS sent straight here is routed by SNI)");
        out.println("  national root   " + d.nationalRoot() + "   (\"Qaznet Trust Network\", SHA-256 "
                + Fingerprint.of(lab.nationalRoot()).sha256Hex().substring(0, 16) + "..., expires "
                + lab.nationalRoot().getNotAfter().toInstant() + ")");
        out.println("  trust stores    " + d.rootsWithNational() + "   (a machine that installed the root)");
        out.println("                  " + d.publicRoots() + "   (a machine that refused it)");
        out.println("  events          " + d.events() + "   ('mitmlab watch' follows them in a terminal)");
        lab.keyLogFile().ifPresent(keys ->
                out.println("  TLS key log     " + keys + "   (both legs' secrets, for Wireshark; 'mitmlab capture --out lab.pcap')"));
        lab.dashboard().ifPresent(dashboard ->
                out.println("  dashboard       " + dashboard.url() + "   (live flows and forged certificates, for the projector)"));
        lab.dashboard().flatMap(DashboardServer::proxyAutoConfigUrl).ifPresent(pac ->
                out.println("  PAC file        " + pac + "   (lab names through the proxy, the rest DIRECT, for your own browser)"));
        boolean secretTargets = lab.config().scenario().scenario().targets().perStudent().isPresent();
        if (secretTargets) {
            out.println("  sites           " + lab.config().catalogue().sites().size() + " ('mitmlab domains'); which of them your box "
                    + "intercepts is for you to find");
        } else {
            out.println("  sites           " + lab.config().catalogue().targeted().size() + " targeted, "
                    + lab.config().catalogue().controls().size() + " control ('mitmlab domains' lists them)");
        }
        out.println();
        out.println("Try in another terminal:");
        java.util.List<String> targets = lab.config().catalogue().targeted();
        String example = targets.contains("vk.com") ? "vk.com" : targets.isEmpty() ? "vk.com" : targets.get(0);
        java.util.List<String[]> tries = new java.util.ArrayList<>();
        if (secretTargets || targets.isEmpty()) {
            tries.add(new String[] {"curl --proxy " + proxy + " --cacert " + installed + " https://vk.com/", "genuine or forged?"});
            tries.add(new String[] {"mitmlab detect vk.com" + stateDirArg(d), "compare with the vantage point, check the issuer"});
        } else {
            tries.add(new String[] {"curl --proxy " + proxy + " --cacert " + installed + " https://" + example + "/", "intercepted, looks fine"});
            tries.add(new String[] {"curl --proxy " + proxy + " --cacert " + refused + " https://" + example + "/",
                "refused the root: certificate error"});
        }
        tries.add(new String[] {"curl --proxy " + proxy + " --cacert " + refused + " https://halykbank.kz/", "not targeted: genuine certificate"});
        tries.add(new String[] {"mitmlab browser [--refuse-root]" + stateDirArg(d), "Chromium with a throw-away profile, through the lab"});
        printAligned(out, tries);
        out.println("Stop with Ctrl-C.");
        out.flush();
    }

    /** Commands with their comments, the comments starting in one column whatever the paths' lengths. */
    private static void printAligned(PrintWriter out, java.util.List<String[]> commandsAndComments) {
        int width = commandsAndComments.stream().mapToInt(c -> c[0].length()).max().orElse(0);
        for (String[] c : commandsAndComments) {
            out.println("  " + c[0] + " ".repeat(width - c[0].length() + 3) + "# " + c[1]);
        }
    }

    /** " --state-dir DIR" when the lab does not run from the default state directory, so copied commands find it. */
    private static String stateDirArg(StateDir d) {
        return d.root().equals(StateDir.defaultLocation().root()) ? "" : " --state-dir " + shortPath(d.root());
    }

    /** ~/x for paths under the home directory, so the example lines stay short. */
    private static String shortPath(java.nio.file.Path p) {
        java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("user.home"));
        return p.startsWith(home) ? "~/" + home.relativize(p) : p.toString();
    }

    static int checkedPort(int port) {
        return checkedPort(port, "--proxy-port");
    }

    static int checkedPort(int port, String option) {
        if (port < 0 || port > 65535) {
            throw UserError.of(option + " " + port + " is not a port: use 1..65535, or 0 for any free port");
        }
        return port;
    }

    /**
     * An IP literal (or "localhost") that this machine has, so a listener can bind it; never a DNS
     * lookup. Checked here, before any slow start-up step: the kernel's refusal would otherwise come
     * only when the listener opens.
     */
    static InetAddress bindAddress(String text) {
        if (text.equals("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(text);
        if (literal == null) {
            throw UserError.of("--bind " + text + " is not an IP address: use 127.0.0.1 (the default) or another address of this machine");
        }
        InetAddress address;
        try {
            address = InetAddress.getByAddress(literal);
        } catch (UnknownHostException e) {
            throw UserError.of("--bind " + text + " is not an IP address: use 127.0.0.1 (the default)");
        }
        if (!isOwnAddress(address)) {
            throw UserError.of("--bind " + text + " is not an address of this machine: use 127.0.0.1 (the default) "
                    + "or one of this machine's own addresses (see 'ip address')");
        }
        return address;
    }

    /** Loopback (all of 127/8 on Linux), the wildcard, or an address of one of this machine's interfaces. */
    private static boolean isOwnAddress(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (java.net.SocketException e) {
            return true; // cannot tell: let the listener's bind decide
        }
    }
}
