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

    static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
