package org.mitmlab.cli;

import java.nio.file.Path;
import org.mitmlab.lab.StateDir;
import picocli.CommandLine.Option;

/** {@code --state-dir}: shared by every command so a second terminal finds the running lab. */
public final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Lab state directory (keys, certificates, events.jsonl). Default: $MITMLAB_STATE_DIR or ~/.mitmlab")
    private Path dir;

    public StateDir stateDir() {
        return dir == null ? StateDir.defaultLocation() : new StateDir(dir);
    }

    /** The state directory's national root certificate, generated first (saying so) when there is none. */
    public java.security.cert.X509Certificate nationalRoot(java.io.PrintWriter out) {
        StateDir state = stateDir().prepare();
        if (!java.nio.file.Files.exists(state.nationalRoot())) {
            out.println("No national root yet in " + state.root() + ": generating one (RSA-4096)...");
            out.flush();
        }
        return org.mitmlab.pki.NationalPki.loadOrGenerate(state.root(), java.time.Clock.systemUTC(),
                new java.security.SecureRandom(), org.mitmlab.pki.NationalPki.DEFAULT_VALIDITY).pki().root().certificate();
    }
}
