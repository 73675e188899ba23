package org.mitmlab.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mitmlab.lab.docker.DockerTopology;
import org.mitmlab.net.Transport;
import org.mitmlab.probe.TtlProbe;
import org.mitmlab.probe.TtlProbe.Answer;
import org.mitmlab.probe.TtlProbe.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab locate HOST}: where is the box? The TTL method of 2019, run from the Docker lab's
 * client: the hop at which a ClientHello for HOST is answered, next to the hop at which a control
 * site answers (its real distance) and a neutral SNI sent to HOST's address.
 */
@Command(name = "locate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Find the interception box hop by hop (Docker lab): send the ClientHello with IP TTL 1, 2, 3, ... "
                + "from the client and report the first hop that answers, for HOST and for a control site.")
public final class LocateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST", description = "A lab site to locate the box for, e.g. vk.com")
    private String host;

    @Option(names = "--control", paramLabel = "HOST", defaultValue = "halykbank.kz",
            description = "A site the box does not intercept, for its real distance. Default: ${DEFAULT-VALUE}")
    private String control;

    @Option(names = "--max-ttl", paramLabel = "N", defaultValue = "8", description = "Highest TTL to try. Default: ${DEFAULT-VALUE}")
    private int maxTtl;

    @Option(names = "--wait-millis", paramLabel = "MS", defaultValue = "400",
            description = "How long to wait for an answer per TTL (ICMP errors can arrive ~200 ms late). Default: ${DEFAULT-VALUE}")
    private int waitMillis;

    @Option(names = "--here", description = "Probe from this machine instead of the Docker lab's client container.")
    private boolean here;

    @Override
    public Integer call() throws Exception {
        if (maxTtl < 1 || maxTtl > 30) {
            throw UserError.of("--max-ttl " + maxTtl + " is out of range: use 1..30");
        }
        if (!here) {
            return inClient();
        }
        InetSocketAddress target = labAddress(host);
        InetSocketAddress controlTarget = labAddress(control);
        PrintWriter out = spec.commandLine().getOut();
        try (Transport transport = Transport.create(1)) {
            TtlProbe probe = new TtlProbe(transport, Duration.ofMillis(waitMillis));
            List<Series> series = new ArrayList<>();
            series.add(new Series(host + " (SNI " + host + ")", probe.probe(target, host, maxTtl)));
            series.add(new Series(host + "'s address, neutral SNI " + control, probe.probe(target, control, maxTtl)));
            series.add(new Series(control + " (control)", probe.probe(controlTarget, control, maxTtl)));
            print(out, series);
            Integer boxHop = series.get(0).answeredAt();
            Integer realHop = series.get(2).answeredAt();
            out.println();
            if (boxHop == null) {
                out.println("No TLS answer for " + host + " within " + maxTtl + " hops.");
                return ExitCodes.INCONCLUSIVE;
            }
            String who = hopRouter(boxHop).map(r -> " (" + r + ")").orElse("");
            if (realHop != null && boxHop < realHop) {
                out.println(host + " is answered at hop " + boxHop + who + ", before a site's real distance (" + realHop
                        + " hops): a middlebox there answers in the site's name.");
                return ExitCodes.INTERCEPTION_FOUND;
            }
            out.println(host + " is answered at hop " + boxHop + who + ", like the control site: no box in front of it.");
            return ExitCodes.OK;
        }
    }

    private record Series(String label, List<Step> steps) {
        Integer answeredAt() {
            return steps.stream().filter(s -> s.answer() == Answer.TLS_ANSWER).map(Step::ttl).findFirst().orElse(null);
        }
    }

    private void print(PrintWriter out, List<Series> series) {
        out.println(String.format(Locale.ROOT, "%-4s %s", "TTL", String.join(" | ", series.stream().map(Series::label).toList())));
        for (int ttl = 1; ttl <= maxTtl; ttl++) {
            List<String> cells = new ArrayList<>();
            boolean any = false;
            for (Series s : series) {
                final int t = ttl;
                String cell = s.steps().stream().filter(x -> x.ttl() == t).findFirst()
                        .map(x -> x.answer() == Answer.TLS_ANSWER ? "TLS answer" : x.answer() == Answer.NO_ANSWER ? "-" : "no TCP")
                        .orElse("");
                any |= !cell.isEmpty();
                cells.add(String.format(Locale.ROOT, "%-" + s.label().length() + "s", cell));
            }
            if (!any) {
                break;
            }
            out.println(String.format(Locale.ROOT, "%-4d %s%s", ttl, String.join(" | ", cells),
                    hopRouter(ttl).map(r -> "   = " + r).orElse("")));
        }
    }

    /** "isp 172.30.2.3" for the Docker lab's routers, by hop count from the client. */
    private static java.util.Optional<String> hopRouter(int hop) {
        for (String role : List.of(DockerTopology.HOME_GW, DockerTopology.ISP, DockerTopology.IX)) {
            if (DockerTopology.hopOf(role) == hop) {
                String net = hop == 1 ? DockerTopology.HOME : hop == 2 ? DockerTopology.ACCESS : DockerTopology.BACKBONE;
                return java.util.Optional.of(role + " " + DockerTopology.ADDRESSES.get(role).get(net));
            }
        }
        return java.util.Optional.empty();
    }

    /** Where the Docker lab's containers find the sites' addresses (written by 'up --docker'). */
    private static final java.nio.file.Path LAB_HOSTS = java.nio.file.Path.of("/lab/common/hosts");

    /**
     * A lab site's address, from the lab's hosts file only (which keeps private addresses only): no
     * DNS query ever leaves for a real name.
     */
    private static InetSocketAddress labAddress(String name) {
        if (!java.nio.file.Files.isReadable(LAB_HOSTS)) {
            throw UserError.of("--here works inside the Docker lab's client only: run 'mitmlab locate " + name + "' on the host");
        }
        org.mitmlab.probe.LabHostsFile hosts;
        try {
            hosts = org.mitmlab.probe.LabHostsFile.read(LAB_HOSTS);
        } catch (java.io.UncheckedIOException e) {
            throw UserError.of("cannot read " + LAB_HOSTS + ": " + e.getCause().getMessage());
        }
        return hosts.address(name).map(a -> new InetSocketAddress(a, 443))
                .orElseThrow(() -> UserError.of(name + " is not a lab site with a private address in " + LAB_HOSTS
                        + ": see 'mitmlab domains'"));
    }

    /** Runs this command in the client container, where the lab's names and routes are. */
    private int inClient() throws Exception {
        return ClientContainer.exec(List.of("mitmlab", "locate", "--here", host, "--control", control, "--max-ttl",
                Integer.toString(maxTtl), "--wait-millis", Integer.toString(waitMillis)),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
