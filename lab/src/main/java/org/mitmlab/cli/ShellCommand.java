package org.mitmlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mitmlab.lab.docker.DockerTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mitmlab shell ROLE [-- COMMAND...]}: a shell in, or one command run in, a Docker lab container. */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Open a shell in a Docker lab container, or run one command there and return its exit code "
                + "(like docker exec). Example: mitmlab shell client -- curl -sv https://vk.com/")
public final class ShellCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROLE", description = "client, vantage, isp, home-gw, ix or internet")
    private String role;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "A command to run instead of an interactive shell.")
    private List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!DockerTopology.SHELL_ROLES.contains(role)) {
            throw UserError.of("'" + role + "' is not a lab container: use one of " + String.join(", ", DockerTopology.SHELL_ROLES));
        }
        String name = DockerTopology.containerName(role);
        Process inspect = new ProcessBuilder("docker", "inspect", "-f", "{{.State.Running}}", name).redirectErrorStream(true).start();
        String running = new String(inspect.getInputStream().readAllBytes()).trim();
        if (inspect.waitFor() != 0 || !running.equals("true")) {
            throw UserError.of("container " + name + " is not running: start the Docker lab with 'mitmlab up --docker'");
        }
        List<String> cmd = new ArrayList<>(List.of("docker", "exec"));
        boolean interactive = command.isEmpty();
        if (interactive) {
            cmd.add(System.console() != null ? "-it" : "-i");
            cmd.addAll(List.of(name, "bash"));
        } else {
            cmd.add(name);
            cmd.addAll(command);
        }
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
