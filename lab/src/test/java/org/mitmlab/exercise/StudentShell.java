package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A student's terminal: {@code mitmlab up} as a real process from the built jar (it runs until
 * stopped, like in a terminal), every other command as the student types it, and the shell tools
 * (openssl) the handouts use.
 */
final class StudentShell implements AutoCloseable {
    private static final Pattern PROXY = Pattern.compile("proxy\\s+http://(127\\.0\\.0\\.1:\\d+)");

    private final Path stateDir;
    private Process lab;
    private final List<String> labOutput = new ArrayList<>();
    private String proxy;

    StudentShell(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
    }

    /** Starts {@code mitmlab up ARGS --state-dir ...} and waits (bounded) until the banner says it runs. */
    void up(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-jar", System.getProperty("mitmlab.jar", "target/mitmlab.jar"),
                "up", "--state-dir", stateDir.toString(), "--proxy-port", "0", "--no-dashboard"));
        cmd.addAll(List.of(args));
        lab = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
            synchronized (labOutput) {
                labOutput.add(line);
            }
            Matcher m = PROXY.matcher(line);
            if (m.find()) {
                proxy = m.group(1);
            }
            if (line.startsWith("Stop with Ctrl-C")) {
                break;
            }
        }
        assertThat(proxy).as("the lab's banner names its proxy; output so far: %s", labOutput).isNotNull();
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (labOutput) {
                        labOutput.add(l);
                    }
                }
            } catch (IOException e) {
                // the lab stopped
            }
        }, "lab-output");
        drain.setDaemon(true);
        drain.start();
    }

    String proxy() {
        return proxy;
    }

    List<String> labOutput() {
        synchronized (labOutput) {
            return List.copyOf(labOutput);
        }
    }

    /** {@code mitmlab ARGS}, typed in another terminal. */
    Result mitmlab(String... args) {
        org.mitmlab.testing.CliRun.Result r = org.mitmlab.testing.CliRun.run(args);
        return new Result(r.exit(), r.out(), r.err());
    }

    /** {@code java -jar mitmlab.jar ARGS}: the real jar, as a student given only the jar runs it (bounded to 60 s). */
    Result jar(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-jar", System.getProperty("mitmlab.jar", "target/mitmlab.jar")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** A shell pipeline (bounded to 60 s). */
    Result sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", script).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (lab != null) {
            lab.destroy(); // SIGTERM: the lab stops as on Ctrl-C
            if (!lab.waitFor(20, TimeUnit.SECONDS)) {
                lab.destroyForcibly();
            }
        }
    }
}
