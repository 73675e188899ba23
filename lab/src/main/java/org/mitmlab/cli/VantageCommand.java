package org.mitmlab.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.JsonLinesEventWriter;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.net.Transport;
import org.mitmlab.probe.LabHostsFile;
import org.mitmlab.probe.SiteAddresses;
import org.mitmlab.probe.VantageServer;
import org.mitmlab.probe.VantageService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab vantage}: only the vantage service, the researchers' probe server abroad. The
 * Docker lab's {@code vantage} container runs it (docker/roles/vantage.sh); detect in the client
 * asks it how each site looks from outside.
 */
@Command(name = "vantage", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Serve the vantage service (GET /vantage?host=NAME) on its own plain-HTTP port: for each question "
                + "it makes a TLS handshake straight to the site's address in the lab's hosts file and answers with the chain "
                + "it was shown, verifying nothing. The Docker lab's vantage container runs it; detect compares with it.",
            "Each question is recorded as a vantage-queried event."})
public final class VantageCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Listen address. Default: ${DEFAULT-VALUE}")
    private String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8082", description = "Listen port. Default: ${DEFAULT-VALUE}")
    private int port;

    @Option(names = "--hosts", paramLabel = "FILE", defaultValue = "/lab/common/hosts",
            description = "The lab's hosts file (ADDRESS NAME per line): the names it answers for and where it connects. "
                    + "Default: ${DEFAULT-VALUE}")
    private Path hosts;

    @Option(names = "--site-port", paramLabel = "N", defaultValue = "443", description = "The sites' HTTPS port. Default: ${DEFAULT-VALUE}")
    private int sitePort;

    @Option(names = "--events", paramLabel = "FILE", required = true,
            description = "Where to append the vantage-queried events (JSON lines), e.g. /lab/state/events.jsonl.")
    private Path events;

    @Override
    public void run() {
        if (!Files.isReadable(hosts)) {
            throw UserError.missingFile("the lab's hosts file", hosts);
        }
        LabHostsFile sites = LabHostsFile.read(hosts);
        if (sites.addresses().isEmpty()) {
            throw UserError.of(hosts + " lists no lab site with a private address: give the hosts file 'mitmlab up --docker' wrote");
        }
        InetSocketAddress listen = new InetSocketAddress(UpCommand.bindAddress(bind), UpCommand.checkedPort(port, "--port"));
        JsonLinesEventWriter writer;
        try {
            writer = new JsonLinesEventWriter(events, 16L * 1024 * 1024, 2, new EventJson());
        } catch (IOException e) {
            throw UserError.of("cannot write events to " + events + ": " + e.getMessage() + "; choose another --events file", e);
        }
        Clock clock = Clock.systemUTC();
        AtomicLong ids = new AtomicLong();
        VantageService service = new VantageService("vantage",
                SiteAddresses.hostsFile(sites, UpCommand.checkedPort(sitePort, "--site-port")), Duration.ofSeconds(5),
                (host, outcome) -> writer.emit(new VantageQueried("vantage-" + ids.incrementAndGet(), clock.instant(), host, outcome)));
        Transport transport = Transport.create(1);
        VantageServer server;
        try {
            server = new VantageServer(transport, service).start(listen);
        } catch (Exception e) {
            service.close();
            transport.close();
            writer.close();
            if (LabStarter.isAddressInUse(e)) {
                throw UserError.of("port " + port + " of " + bind + " is in use: choose another with --port");
            }
            throw new IllegalStateException("cannot start the vantage service: " + e, e);
        }
        spec.commandLine().getOut().println("Vantage service for " + sites.addresses().size() + " lab sites on http://" + bind + ":"
                + server.address().getPort() + VantageService.PATH + "?host=NAME; events in " + events);
        spec.commandLine().getOut().flush();
        UntilStopped.await(() -> {
            server.close();
            service.close();
            transport.close();
            writer.close();
        });
    }
}
