package org.mitmlab.cli;

import java.util.concurrent.Callable;
import org.mitmlab.lab.docker.DockerLab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mitmlab down}: removes every container and network of the Docker lab, even after a crash. */
@Command(name = "down", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Remove every container and network the Docker lab made (found by label, so it also cleans up after a crash).")
public final class DownCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        int relaunched = DockerSupport.relaunchWithTestcontainersEnv(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
        if (relaunched >= 0) {
            return relaunched;
        }
        DockerSupport.requireDocker();
        int removed = DockerLab.down(spec.commandLine().getOut()::println);
        if (removed == 0) {
            spec.commandLine().getOut().println("No Docker lab containers or networks found: nothing to remove.");
        }
        return ExitCodes.OK;
    }
}
