package org.mitmlab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.SimulatedPopulation;
import org.mitmlab.lab.SimulatedPopulation.Outcome;
import org.mitmlab.lab.SimulatedPopulation.Visit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab demo}: starts a private lab on a free port, lets a simulated population browse
 * every lab site, prints what happened per domain, and exits (0 when the lab behaved as in 2019).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Start a lab, let simulated users (some installed the national root, some refused) visit every "
                + "targeted and control site through the proxy, print a table per domain, and exit.")
public final class DemoCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--installed", defaultValue = "3", paramLabel = "N", description = "Users who installed the national root. Default: ${DEFAULT-VALUE}")
    private int installed;

    @Option(names = "--refused", defaultValue = "2", paramLabel = "N", description = "Users who refused it. Default: ${DEFAULT-VALUE}")
    private int refused;

    @Override
    public void run() {
        if (installed < 0 || refused < 0 || installed + refused == 0 || installed + refused > 50) {
            throw UserError.of("--installed and --refused must be 0..50 and not both 0 (got " + installed + " and " + refused + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        LabConfig config = LabConfig.defaults(stateDir.stateDir()).withProxyPort(0);
        try (EmbeddedLab lab = LabStarter.start(config, out::println, false)) {
            List<String> hosts = new ArrayList<>(config.catalogue().targeted());
            hosts.addAll(config.catalogue().controls());
            out.println("Simulating " + installed + " users who installed the national root and " + refused
                    + " who refused it, visiting " + hosts.size() + " sites through " + lab.proxyAddress() + " ...");
            out.flush();
            List<Visit> visits = new SimulatedPopulation(lab.proxyAddress(), lab.webPki().trustBundle(), lab.nationalRoot())
                    .run(installed, refused, hosts);
            Thread.sleep(300); // let the proxy record the last rejections
            boolean asExpected = printTable(out, lab, visits);
            out.println();
            out.println(asExpected
                    ? "As in July 2019: users with the root saw every site and were intercepted on the targeted ones;"
                            + " users without it got certificate errors on exactly those."
                    : "Some results differ from the 2019 pattern; see the table.");
            out.flush();
            if (!asExpected) {
                throw UserError.of("the demo saw unexpected results (rows marked '!'); events are in " + config.stateDir().events());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.of("interrupted");
        }
    }

    private boolean printTable(PrintWriter out, EmbeddedLab lab, List<Visit> visits) {
        Map<String, int[]> decisions = new TreeMap<>();
        for (DecisionMade d : lab.events().ofType(DecisionMade.class)) {
            if (d.sni() == null) {
                continue;
            }
            int[] c = decisions.computeIfAbsent(d.sni(), k -> new int[2]);
            if (d.decision() == Decision.INTERCEPT) {
                c[0]++;
            } else if (d.decision() == Decision.PASS_THROUGH) {
                c[1]++;
            }
        }
        Map<String, Integer> rejections = new TreeMap<>();
        for (ClientRejectedCertificate r : lab.events().ofType(ClientRejectedCertificate.class)) {
            rejections.merge(r.sni(), 1, Integer::sum);
        }
        out.println();
        out.println(String.format(Locale.ROOT, "  %-22s %-8s %12s %14s %12s %12s", "domain", "role", "intercepted",
                "passed through", "refused by", "pages seen"));
        out.println(String.format(Locale.ROOT, "  %-22s %-8s %12s %14s %12s %12s", "", "", "(proxy)", "(proxy)", "client", "(users)"));
        boolean allExpected = true;
        List<String> hosts = new ArrayList<>(lab.config().catalogue().targeted());
        hosts.addAll(lab.config().catalogue().controls());
        for (String host : hosts) {
            boolean targeted = lab.config().catalogue().isTargeted(host);
            int[] d = decisions.getOrDefault(host, new int[2]);
            long pages = visits.stream().filter(v -> v.host().equals(host) && v.outcome() == Outcome.PAGE).count();
            boolean expected = targeted
                    ? visits.stream().filter(v -> v.host().equals(host))
                            .allMatch(v -> v.installedRoot() ? v.outcome() == Outcome.PAGE : v.outcome() == Outcome.CERTIFICATE_ERROR)
                    : visits.stream().filter(v -> v.host().equals(host)).allMatch(v -> v.outcome() == Outcome.PAGE);
            allExpected &= expected;
            out.println(String.format(Locale.ROOT, "%s %-22s %-8s %12d %14d %12d %12s", expected ? " " : "!", host,
                    targeted ? "targeted" : "control", d[0], d[1], rejections.getOrDefault(host, 0),
                    pages + "/" + (installed + refused)));
        }
        return allExpected;
    }
}
