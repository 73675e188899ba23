package org.mitmlab.cli;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;

/** Starts an embedded lab for a command, turning start-up failures into user errors. */
final class LabStarter {
    private LabStarter() {
    }

    static EmbeddedLab start(LabConfig config, Consumer<String> progress, boolean advertise) {
        try {
            return EmbeddedLab.start(config, Clock.systemUTC(), new SecureRandom(), progress, advertise);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.of("interrupted while starting the lab");
        } catch (RuntimeException e) {
            if (e instanceof EmbeddedLab.DashboardStartException && isAddressInUse(e)) {
                throw UserError.portInUse("127.0.0.1:" + config.dashboardPort(), "--dashboard-port (or turn it off with --no-dashboard)");
            }
            if (isAddressInUse(e)) {
                throw UserError.portInUse(config.bind().getHostAddress() + ":" + config.proxyPort(), "--proxy-port");
            }
            throw e;
        }
    }

    /**
     * Fails with the usual one-line error when {@code port} is taken on {@code address}; commands
     * call it before their slow start-up steps (a first PKI, the warm-up), so a busy port is
     * reported at once rather than after them. The listener's own bind still reports a port taken
     * in between. Port 0 (any free port) is always free.
     */
    static void checkFree(java.net.InetAddress address, int port, String portOption) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // as the listeners: a port with connections still closing is free
            probe.bind(new java.net.InetSocketAddress(address, port));
        } catch (java.io.IOException e) {
            if (isAddressInUse(e)) {
                throw UserError.portInUse(address.getHostAddress() + ":" + port, portOption);
            }
            // anything else (a privileged port, say) is left to the listener, which reports it as before
        }
    }

    /** The port is taken; not any bind failure (a privileged port or a foreign address is something else). */
    static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }
}
