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
}
