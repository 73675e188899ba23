package org.mitmlab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system {@code curl} against the lab, always bounded ({@code -m}, plus a hard process
 * timeout), never through a proxy from the environment, never reading {@code ~/.curlrc}, and with
 * every lab name pinned to a loopback address with {@code --resolve}, so that no traffic leaves the
 * machine. Tests should {@code assumeTrue(Curl.isAvailable())}.
 */
public final class Curl {
    /** curl's own limit for one transfer, in seconds ({@code -m}). */
    public static final int MAX_TIME_SECONDS = 10;
    private static final long PROCESS_TIMEOUT_SECONDS = MAX_TIME_SECONDS + 10;
    private static final String WRITE_OUT = "%{http_code} %{http_version}";
    private static volatile Optional<String> version;

    private final Path workDir;
    private final List<String> baseArgs = new ArrayList<>();

    private Curl(Path workDir) {
        this.workDir = workDir;
    }

    /** A curl that writes its scratch files under {@code workDir}. */
    public static Curl in(Path workDir) {
        return new Curl(workDir);
    }

    /** The first line of {@code curl --version}, when curl runs on this machine. */
    public static synchronized Optional<String> version() {
        if (version == null) {
            Optional<String> v;
            try {
                Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
                byte[] out;
                try (var in = p.getInputStream()) {
                    out = in.readAllBytes();
                }
                boolean done = p.waitFor(10, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly();
                }
                String text = new String(out, StandardCharsets.UTF_8);
                v = done && p.exitValue() == 0 ? Optional.of(text.lines().findFirst().orElse("curl")) : Optional.empty();
            } catch (IOException e) {
                v = Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                v = Optional.empty();
            }
            version = v;
        }
        return version;
    }

    public static boolean isAvailable() {
        return version().isPresent();
    }

    /** True when this curl can speak HTTP/2 (built with nghttp2). */
    public static boolean supportsHttp2() {
        return version().map(v -> v.contains("nghttp2")).orElse(false);
    }

    /** Pins {@code name:port} to the loopback address of {@code server} ({@code --resolve}). */
    public Curl resolve(String name, InetSocketAddress server) {
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the lab's curl only talks to loopback, not " + server);
        }
        baseArgs.add("--resolve");
        baseArgs.add(name + ":" + server.getPort() + ":" + server.getAddress().getHostAddress());
        return this;
    }

    /** Trusts exactly the certificates in {@code pemBundle} ({@code --cacert}, no system store). */
    public Curl caCert(Path pemBundle) {
        baseArgs.add("--cacert");
        baseArgs.add(pemBundle.toString());
        try {
            // an empty directory instead of the system's CA path: only the bundle counts
            Path empty = Files.createDirectories(workDir.resolve("empty-capath"));
            baseArgs.add("--capath");
            baseArgs.add(empty.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Runs one transfer: {@code args} are options and the URL (everything but output handling). */
    public Result fetch(String... args) {
        try {
            Path dir = Files.createTempDirectory(workDir, "curl");
            Path headers = dir.resolve("headers");
            Path body = dir.resolve("body");
            List<String> cmd = new ArrayList<>(List.of("curl", "-q", "-sS", "--noproxy", "*", "-m",
                    Integer.toString(MAX_TIME_SECONDS), "-D", headers.toString(), "-o", body.toString(), "-w", WRITE_OUT));
            cmd.addAll(baseArgs);
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile());
            // no proxy from the environment, whatever curl's --noproxy handling
            pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
            pb.environment().remove("CURL_HOME");
            Process p = pb.start();
            if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("curl did not finish within " + PROCESS_TIMEOUT_SECONDS + " s: " + cmd);
            }
            String stdout = Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8).trim();
            String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8).trim();
            byte[] content = Files.exists(body) ? Files.readAllBytes(body) : new byte[0];
            String headerText = Files.exists(headers) ? Files.readString(headers, StandardCharsets.ISO_8859_1) : "";
            return Result.of(cmd, p.exitValue(), stdout, stderr, headerText, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running curl", e);
        }
    }

    /** What one curl run produced. Header names are lower-cased; the last response's headers are kept. */
    public record Result(List<String> command, int exitCode, int status, String httpVersion,
            Map<String, String> headers, byte[] body, String stderr) {
        static Result of(List<String> command, int exitCode, String writeOut, String stderr, String headerText, byte[] body) {
            String[] w = writeOut.split(" ");
            int status = w.length > 0 && w[0].matches("\\d+") ? Integer.parseInt(w[0]) : 0;
            String version = w.length > 1 ? w[1] : "";
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : headerText.split("\r?\n")) {
                if (line.startsWith("HTTP/")) {
                    headers.clear(); // a new response (after 1xx or a followed redirect)
                } else {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
            }
            return new Result(List.copyOf(command), exitCode, status, version, headers, body, stderr);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** For assertion messages. */
        public String describe() {
            return "curl exit " + exitCode + ", HTTP " + status + " (" + httpVersion + ")"
                    + (stderr.isEmpty() ? "" : ", stderr: " + stderr) + "\n  command: " + String.join(" ", command);
        }
    }
}
