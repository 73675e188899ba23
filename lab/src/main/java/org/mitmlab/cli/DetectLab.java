package org.mitmlab.cli;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mitmlab.lab.DetectSetup;
import org.mitmlab.lab.LabInfo;
import org.mitmlab.lab.StateDir;
import org.mitmlab.probe.LabHostsFile;
import org.mitmlab.probe.PathUnderTest;
import org.mitmlab.probe.SiteAddresses;

/**
 * The lab detect examines, from its state directory: a running embedded lab ({@code lab.json}:
 * through its proxy, trusting roots-with-national.pem, its vantage service and CT log on the
 * simulated Internet's plain-HTTP listener), or a machine of the Docker lab ({@code detect.json}:
 * TLS to each site's own address from the hosts file, the machine's trust store, the CT log on the
 * internet container, the vantage container's service).
 *
 * @param path           the default path under test
 * @param trust          the default trust store of the student's machine
 * @param labHttp        where the CT log (and, embedded, {@code vantage.lab}) answers
 * @param defaultVantage the vantage service URL when it is not {@code vantage.lab} on {@code labHttp}
 * @param internet       the simulated Internet's HTTPS listener, for {@code --vantage DIRECT}; empty where
 *                       a connection from this machine would cross the path under test
 */
record DetectLab(PathUnderTest path, Path trust, InetSocketAddress labHttp, Optional<String> defaultVantage,
        Optional<InetSocketAddress> internet) {
    /** The client container's state directory (docker/roles: /lab/state). */
    static final String CLIENT_STATE_DIR = "/lab/state";
    private static final int HTTPS_PORT = 443;

    static DetectLab find(StateDir dir) {
        Optional<LabInfo> running = LabInfo.readRunning(dir.labInfo());
        if (running.isPresent()) {
            LabInfo lab = running.get();
            return new DetectLab(PathUnderTest.proxy(DetectCommand.address(lab.proxy(), "the lab's proxy")), dir.rootsWithNational(),
                    DetectCommand.address(lab.originHttp(), "the lab's plain-HTTP listener"), Optional.empty(),
                    Optional.of(DetectCommand.address(lab.originHttps(), "the simulated Internet")));
        }
        Optional<DetectSetup> setup;
        try {
            setup = DetectSetup.read(dir);
        } catch (UncheckedIOException e) {
            throw UserError.of(e.getMessage() + ": restart the Docker lab with 'mitmlab up --docker'", e);
        }
        if (setup.isEmpty()) {
            throw ClientContainer.running() ? UserError.noRunningLabButDocker(dir.root(), "detect") : UserError.noRunningLab(dir.root());
        }
        DetectSetup s = setup.get();
        Path hosts = DetectSetup.resolve(dir, s.hosts());
        if (!Files.isReadable(hosts)) {
            throw UserError.missingFile("the lab's hosts file (" + dir.detectSetup() + ")", hosts);
        }
        return new DetectLab(PathUnderTest.direct(SiteAddresses.hostsFile(LabHostsFile.read(hosts), HTTPS_PORT)),
                DetectSetup.resolve(dir, s.trust()), DetectCommand.address(s.ctLog(), "the CT log (" + dir.detectSetup() + ")"),
                Optional.of(s.vantage()), Optional.empty());
    }
}
