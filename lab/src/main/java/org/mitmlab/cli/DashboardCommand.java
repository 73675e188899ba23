package org.mitmlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import org.mitmlab.dashboard.FileDashboard;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.lab.StateDir;
import org.mitmlab.lab.docker.DockerLab;
import org.mitmlab.pki.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab dashboard}: the live dashboard over an events file written by another process;
 * for the Docker lab, whose box writes its events to a file on the host. The embedded lab
 * ({@code mitmlab up}) serves the same page itself.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Serve the live dashboard (on 127.0.0.1 only) for an events file another process writes, "
                + "such as the Docker lab's box (--docker). The embedded lab's 'up' serves it by itself.")
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--docker", description = "Show the Docker lab's box (STATE/docker/box-events/events.jsonl, whichever router hosts it).")
    private boolean docker;

    @Option(names = "--events", paramLabel = "FILE", description = "The events file to show. Default: the state directory's events.jsonl.")
    private Path eventsFile;

    @Option(names = "--dashboard-port", paramLabel = "N", defaultValue = "8081", description = "Port on 127.0.0.1. Default: ${DEFAULT-VALUE}")
    private int port;

    @Override
    public Integer call() throws Exception {
        StateDir dir = stateDir.stateDir();
        Path events = eventsFile != null ? eventsFile
                : docker ? DockerLab.boxEvents(dir) : dir.events();
        if (!Files.exists(dir.nationalRoot())) {
            throw UserError.of("no national root in " + dir.root() + ": start a lab first ('mitmlab up' or 'mitmlab up --docker')");
        }
        X509Certificate root = PemFiles.readCertificates(dir.nationalRoot()).get(0);
        FileDashboard dashboard;
        try {
            dashboard = FileDashboard.start(events, root, DomainCatalogue.kz2019()::isTargeted,
                    UpCommand.checkedPort(port, "--dashboard-port"));
        } catch (Exception e) { // Netty's bind() rethrows BindException unchecked
            if (LabStarter.isAddressInUse(e)) {
                throw UserError.portInUse("127.0.0.1:" + port, "--dashboard-port");
            }
            throw e;
        }
        spec.commandLine().getOut().println("Dashboard of " + events + " on " + dashboard.url() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        UntilStopped.await(dashboard::close);
        return ExitCodes.OK;
    }

}
