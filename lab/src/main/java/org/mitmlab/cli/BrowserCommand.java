package org.mitmlab.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mitmlab.lab.LabInfo;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.trust.SpkiBlocklist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab browser}: Chromium as one of the users of 2019, without touching the student's
 * own browser. It gets a throw-away profile, the running lab's proxy, and a trust store of its own:
 * the lab's public roots plus the national root, or, with {@code --refuse-root}, the public roots
 * only (then the 37 sites show Chromium's certificate error). With {@code --blocklist}, a national root
 * whose key is listed in the state directory's browser-blocklist.txt is installed as explicitly
 * distrusted (NSS trust {@code p,p,p}) instead: the browser block of 21 August 2019. Chromium honours
 * that entry: it refuses the page with net::ERR_CERT_AUTHORITY_INVALID (not the ERR_CERT_REVOKED of
 * its built-in blocklist, which lists the real 2019 key, not the lab's).
 *
 * <pre>
 * PROFILE/                    a temp directory, deleted when the browser exits
 *   chromium/                 --user-data-dir
 *   home/.pki/nssdb/          the NSS database Chromium on Linux reads trust from ($HOME/.pki/nssdb),
 *                             so the child runs with HOME=PROFILE/home and ~/.pki stays untouched
 * </pre>
 */
@Command(name = "browser", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Open Chromium with a throw-away profile that goes through the running lab and trusts the "
                + "national root (a user who installed it) or not (--refuse-root). Your own browser is not touched.")
public final class BrowserCommand implements Callable<Integer> {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String INSTALL_CHROMIUM = "install chromium (Debian: apt-get install chromium)";
    static final String INSTALL_CERTUTIL = "install certutil (Debian: apt-get install libnss3-tools)";
    private static final Duration CERTUTIL_TIMEOUT = Duration.ofSeconds(30);
    /** NSS trust attributes: a CA trusted to identify web sites. */
    private static final String TRUSTED_CA = "C,,";
    /**
     * "Valid peer" for every usage and no CA trust: NSS reads it as explicitly distrusted, and
     * Chromium then refuses any path through the certificate, even one that ends at a trusted root.
     */
    private static final String DISTRUSTED = "p,p,p";

    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--refuse-root", description = "Trust only the public roots, as a user who refused the national root.")
    private boolean refuseRoot;

    @Option(names = "--blocklist", description = "If the state directory's browser-blocklist.txt lists the national "
            + "root's key, install the root as explicitly distrusted: what browsers did from 21 August 2019.")
    private boolean blocklist;

    /** Set by {@link #call}: the national root went in as distrusted. */
    private boolean blocked;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "https://vk.com/",
            description = "The page to open. Default: ${DEFAULT-VALUE}")
    private String url;

    @Option(names = "--headless", description = "No window: load the page, save --screenshot and exit (for tests and slides).")
    private boolean headless;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "With --headless: where to save a PNG of the page (1280x800).")
    private Path screenshot;

    @Option(names = "--chromium", paramLabel = "PATH", hidden = true, description = "The Chromium binary. Default: /usr/bin/chromium")
    private Path chromium = CHROMIUM;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "90", hidden = true,
            description = "How long --headless waits for Chromium.")
    private int timeoutSeconds;

    @Override
    public Integer call() {
        if (headless != (screenshot != null)) {
            throw UserError.of("--headless and --screenshot FILE go together: a headless browser shows nothing else");
        }
        String page = checkedUrl(url);
        StateDir dir = stateDir.stateDir();
        LabInfo lab = LabInfo.readRunning(dir.labInfo()).orElseThrow(() -> UserError.noRunningLab(dir.root()));
        if (!Files.isExecutable(chromium)) {
            throw UserError.of("Chromium is not installed at " + chromium + ": " + INSTALL_CHROMIUM);
        }
        Path certutil = onPath("certutil").orElseThrow(() -> UserError.of("certutil is not installed: " + INSTALL_CERTUTIL));
        if (!headless && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            throw UserError.of("no display to open a window on (DISPLAY is not set): run it on a desktop, "
                    + "or use --headless --screenshot FILE");
        }
        List<X509Certificate> trusted = new ArrayList<>(trustFile(dir.publicRoots(), "the public roots"));
        X509Certificate national = trustFile(dir.nationalRoot(), "the national root").get(0);
        blocked = blocklist && blocklisted(dir, national);
        String proxy = "127.0.0.1:" + proxyPort(lab);
        PrintWriter out = spec.commandLine().getOut();

        Path profile = createProfile();
        Thread cleanup = new Thread(() -> deleteRecursively(profile), "mitmlab-browser-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C while the window is open
        try {
            Path nssdb = Files.createDirectories(profile.resolve("home/.pki/nssdb"));
            certutil(certutil, List.of("-N", "--empty-password", "-d", "sql:" + nssdb));
            for (int i = 0; i < trusted.size(); i++) {
                addRoot(certutil, nssdb, profile, "mitmlab public root " + (i + 1), trusted.get(i));
            }
            if (blocked) {
                addRoot(certutil, nssdb, profile, "mitmlab national root", national, DISTRUSTED);
            } else if (!refuseRoot) {
                addRoot(certutil, nssdb, profile, "mitmlab national root", national, TRUSTED_CA);
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> command = chromiumCommand(profile, proxy, page, root);
            out.println("mitmlab browser: Chromium through the lab's proxy " + proxy + ", trusting "
                    + (blocked ? "the public roots; the national root is installed but explicitly distrusted, because "
                            + dir.browserBlocklist().getFileName() + " lists its key (the browser block of 21 August 2019)"
                            : refuseRoot ? "only the public roots (a user who refused the national root)"
                            : "the public roots and the national root (a user who installed it)")
                    + "; throw-away profile " + profile);
            if (blocklist && !blocked) {
                out.println("mitmlab browser: --blocklist: " + dir.browserBlocklist() + " does not list the national root's key"
                        + " (SPKI SHA-256 " + Fingerprint.spkiOf(national) + "), so it is not blocked");
            }
            if (root && !headless) {
                out.println("mitmlab browser: running as root, so Chromium gets --no-sandbox (it refuses to start as root otherwise)");
            }
            out.flush();
            return runChromium(command, profile, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the browser profile in " + profile, e);
        } finally {
            deleteRecursively(profile);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    List<String> chromiumCommand(Path profile, String proxy, String page, boolean root) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(),
                "--user-data-dir=" + profile.resolve("chromium"),
                "--proxy-server=http://" + proxy,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-domain-reliability",
                "--password-store=basic"));
        if (headless) {
            cmd.addAll(List.of("--headless", "--no-sandbox", "--disable-gpu",
                    "--screenshot=" + screenshot.toAbsolutePath(), "--window-size=1280,800"));
        } else if (root) {
            cmd.add("--no-sandbox");
        }
        cmd.add(page);
        return cmd;
    }

    private int runChromium(List<String> command, Path profile, PrintWriter out) throws IOException {
        Path log = profile.resolve("chromium.log");
        if (headless) {
            Path parent = screenshot.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(screenshot);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy")); // --proxy-server decides
        env.put("HOME", profile.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", profile.resolve("home/.config").toString());
        env.put("XDG_CACHE_HOME", profile.resolve("home/.cache").toString());
        Process chromiumProcess = pb.start();
        try {
            if (!headless) {
                out.println("mitmlab browser: opened " + command.get(command.size() - 1) + "; close the window to finish");
                out.flush();
                int exit = chromiumProcess.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("Chromium exited with code " + exit + ":\n" + tail(log));
                }
                return ExitCodes.OK;
            }
            if (!chromiumProcess.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Chromium did not finish within " + timeoutSeconds + " s:\n" + tail(log));
            }
            if (!Files.isRegularFile(screenshot) || Files.size(screenshot) == 0) {
                Optional<String> netError = pageLoadError(log);
                if (netError.isPresent() && netError.get().startsWith("net::ERR_CERT_")) {
                    // headless Chromium stops at the error instead of rendering its interstitial
                    out.println("mitmlab browser: Chromium refused the certificate of " + command.get(command.size() - 1) + ": "
                            + netError.get() + (blocked ? " (the browser blocks the national root although it is installed)"
                                    : refuseRoot ? " (what a user who refused the national root sees)" : "")
                            + "; headless Chromium saves no screenshot of an error page");
                    return ExitCodes.OK;
                }
                if (netError.isPresent()) {
                    throw UserError.of("Chromium could not load " + command.get(command.size() - 1) + ": " + netError.get()
                            + ": is the lab still running, and is the URL a lab site ('mitmlab domains')?");
                }
                throw new IllegalStateException("Chromium (exit " + chromiumProcess.exitValue() + ") wrote no screenshot to "
                        + screenshot + ":\n" + tail(log));
            }
            out.println("mitmlab browser: screenshot of " + command.get(command.size() - 1) + " saved to " + screenshot);
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } finally {
            stop(chromiumProcess);
        }
    }

    /** Imports one root into the NSS database as a CA trusted for TLS servers ({@code C,,}). */
    private static void addRoot(Path certutil, Path nssdb, Path profile, String nickname, X509Certificate root) {
        addRoot(certutil, nssdb, profile, nickname, root, TRUSTED_CA);
    }

    /** Imports one certificate with the given NSS trust attributes. */
    private static void addRoot(Path certutil, Path nssdb, Path profile, String nickname, X509Certificate root, String trust) {
        Path pem = profile.resolve(nickname.replace(' ', '-') + ".pem");
        PemFiles.writeCertificates(pem, List.of(root)); // certutil -A reads only the first certificate of a file
        certutil(certutil, List.of("-A", "-d", "sql:" + nssdb, "-n", nickname, "-t", trust, "-i", pem.toString()));
    }

    /** True when the state directory's browser blocklist names {@code national}'s key; the file must exist. */
    private static boolean blocklisted(StateDir dir, X509Certificate national) {
        Path file = dir.browserBlocklist();
        if (!Files.isRegularFile(file)) {
            throw UserError.missingFile("--blocklist: the browser blocklist", file);
        }
        try {
            return SpkiBlocklist.read(file).contains(Fingerprint.spkiOf(national));
        } catch (IllegalArgumentException e) {
            throw UserError.of("--blocklist: " + e.getMessage());
        }
    }

    private static void certutil(Path certutil, List<String> args) {
        List<String> command = new ArrayList<>(List.of(certutil.toString()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes(); // certutil prints little; it ends when the process does
            if (!p.waitFor(CERTUTIL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("certutil did not finish: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("certutil failed (exit " + p.exitValue() + "): " + String.join(" ", command) + ": "
                        + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + certutil, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running certutil", e);
        }
    }

    private static String checkedUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw UserError.of("--url " + text + " is not an http(s) URL: write it like https://vk.com/");
    }

    /** The proxy's port from lab.json ({@code host:port}); the browser always reaches it on loopback. */
    private static int proxyPort(LabInfo lab) {
        String proxy = lab.proxy();
        int colon = proxy == null ? -1 : proxy.lastIndexOf(':');
        try {
            return Integer.parseInt(proxy.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalStateException("lab.json names no proxy port: " + proxy, e);
        }
    }

    private static List<X509Certificate> trustFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw UserError.missingFile(what, file);
        }
        return PemFiles.readCertificates(file);
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/bin")); // Debian's libnss3-tools, also when PATH is minimal
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }

    private static Path createProfile() {
        try {
            return Files.createTempDirectory("mitmlab-browser-"); // 0700 on POSIX
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary profile directory", e);
        }
    }

    /** Chromium's helper processes outlive the main one for a moment; make sure none keeps the profile busy. */
    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static final java.util.regex.Pattern PAGE_LOAD_FAILED = java.util.regex.Pattern.compile("Page load failed: (net::[A-Z_]+)");

    /** The network error headless Chromium logged when the page did not load, e.g. net::ERR_CERT_AUTHORITY_INVALID. */
    static Optional<String> pageLoadError(Path log) {
        try {
            java.util.regex.Matcher m = PAGE_LOAD_FAILED.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no Chromium log: " + e.getMessage() + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // a helper process still writing: the next attempt gets it
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // retried below
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
