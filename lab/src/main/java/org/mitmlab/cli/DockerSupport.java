package org.mitmlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/**
 * What the Docker commands need before they talk to Docker: the Testcontainers settings this lab
 * relies on (no Ryuk: the lab outlives the command, and no registry is needed), a running engine,
 * and the path of this jar to put in the image.
 */
final class DockerSupport {
    /** Testcontainers reads these only from the environment. */
    static final Map<String, String> TESTCONTAINERS_ENV = Map.of(
            "TESTCONTAINERS_RYUK_DISABLED", "true",
            "TESTCONTAINERS_CHECKS_DISABLE", "true",
            "TESTCONTAINERS_HOST_OVERRIDE", "localhost",
            "TESTCONTAINERS_REUSE_ENABLE", "true");

    private DockerSupport() {
    }

    /**
     * When the environment lacks the Testcontainers settings, runs this same command again in a
     * child JVM that has them and returns its exit code; otherwise returns -1 and the caller goes on.
     */
    static int relaunchWithTestcontainersEnv(String[] args) {
        if (TESTCONTAINERS_ENV.keySet().stream().allMatch(k -> System.getenv(k) != null)) {
            return -1;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(TESTCONTAINERS_ENV);
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            return p.waitFor();
        } catch (java.io.IOException e) {
            throw UserError.of("cannot start a JVM for the Docker commands: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERNAL;
        }
    }

    static void requireDocker() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw UserError.of("Docker is not running or not reachable: start the Docker engine (as root on Debian: "
                    + "docker/start-docker-engine.sh), or use the embedded lab without --docker");
        }
    }

    /** The jar this command runs from, or lab/target/mitmlab.jar when run from classes (development). */
    static Path ownJar() {
        try {
            Path here = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (here.toString().endsWith(".jar")) {
                return here;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the development location
        }
        Path dev = Path.of(System.getProperty("mitmlab.jar", "lab/target/mitmlab.jar"));
        if (!Files.exists(dev)) {
            throw UserError.of("cannot find the mitmlab jar to put in the Docker image: build it with 'mvn -DskipTests package'");
        }
        return dev;
    }
}
