package org.mitmlab.cli;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;
import org.mitmlab.lab.StateDir;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab internet}: only the simulated Internet (every lab site by SNI). The Docker lab's
 * {@code internet} container runs this; it is also handy for pointing {@code mitmlab proxy} at.
 */
@Command(name = "internet", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Serve only the simulated Internet: every lab site on one HTTPS port (chosen by SNI) and one "
                + "plain-HTTP port, with the genuine certificates of the state directory's public PKI.")
public final class InternetCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Listen address. Default: ${DEFAULT-VALUE}")
    private String bind;

    @Option(names = "--https-port", paramLabel = "N", defaultValue = "8443", description = "HTTPS port. Default: ${DEFAULT-VALUE}")
    private int httpsPort;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8081", description = "Plain-HTTP port. Default: ${DEFAULT-VALUE}")
    private int httpPort;

    @Override
    public void run() {
        java.net.InetAddress address = UpCommand.bindAddress(bind);
        StateDir dir = stateDir.stateDir().prepare();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        WebPki web = WebPki.loadOrGenerate(dir.webPki(), clock, random);
        Map<String, SiteCredential> credentials = new LinkedHashMap<>();
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        for (LabSite s : catalogue.sites()) {
            credentials.put(s.name(), web.loadOrIssue(s, dir.sites(), clock, random));
        }
        Transport transport = Transport.create(0);
        OriginServer origin;
        try {
            origin = new OriginServer(transport, new TlsContexts(true), catalogue, credentials, web, clock)
                    .start(address, UpCommand.checkedPort(httpsPort, "--https-port"), UpCommand.checkedPort(httpPort, "--http-port"));
        } catch (Exception e) {
            transport.close();
            if (LabStarter.isAddressInUse(e)) {
                throw UserError.of("a port of " + bind + " (" + httpsPort + " or " + httpPort + ") is in use: choose others with --https-port/--http-port");
            }
            throw new IllegalStateException("cannot start the simulated Internet: " + e, e);
        }
        spec.commandLine().getOut().println("Simulated Internet: " + credentials.size() + " sites on https://" + bind + ":"
                + origin.httpsAddress().getPort() + " and http://" + bind + ":" + origin.httpAddress().getPort());
        spec.commandLine().getOut().flush();
        UntilStopped.await(() -> {
            origin.close();
            transport.close();
        });
    }
}
