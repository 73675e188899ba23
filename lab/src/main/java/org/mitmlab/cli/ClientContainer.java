package org.mitmlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mitmlab.lab.docker.DockerTopology;

/**
 * The Docker lab's {@code client} container seen from the host, through the docker CLI (like
 * {@code docker exec}): commands that must run where the student's machine is (detect, locate) run
 * there, and their output is copied to this command's writers as it comes.
 */
final class ClientContainer {
    static final String NAME = DockerTopology.containerName(DockerTopology.CLIENT);

    private ClientContainer() {
    }

    /** True when the client container is running; false also when there is no docker CLI or engine. */
    static boolean running() {
        try {
            Process inspect = new ProcessBuilder("docker", "inspect", "-f", "{{.State.Running}}", NAME).redirectErrorStream(true).start();
            String state = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return inspect.waitFor(30, TimeUnit.SECONDS) && inspect.exitValue() == 0 && state.equals("true");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code command} in the client and returns its exit code; its output goes to {@code out} and {@code err}. */
    static int exec(List<String> command, PrintWriter out, PrintWriter err) throws InterruptedException {
        if (!running()) {
            throw UserError.of("the Docker lab is not running (no " + NAME + "): start it with 'mitmlab up --docker'");
        }
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", NAME));
        cmd.addAll(command);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw UserError.of("cannot run docker exec in " + NAME + ": " + e.getMessage());
        }
        Thread stderr = copier(p.getErrorStream(), err);
        Thread stdout = copier(p.getInputStream(), out);
        try {
            int code = p.waitFor();
            stdout.join();
            stderr.join();
            return code;
        } finally {
            p.destroy();
        }
    }

    private static Thread copier(InputStream from, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(from, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                for (int n; (n = r.read(buffer)) >= 0; ) {
                    synchronized (to) {
                        to.write(buffer, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the process went away; what it wrote so far has been copied
            }
        }, "mitmlab-docker-exec");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
