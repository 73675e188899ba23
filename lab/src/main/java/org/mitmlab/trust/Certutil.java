package org.mitmlab.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NSS's {@code certutil} (Debian: libnss3-tools; Fedora: nss-tools), the only supported way to read and
 * change the {@code cert9.db} of a Chromium or Firefox profile. Each method runs one certutil
 * process against {@code sql:DIR}, with stdin closed so it can never wait for a password.
 */
public final class Certutil {
    /** Bound of one certutil run. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A trust-attributes column such as {@code C,,} or {@code CT,C,C} ends every listing line. */
    private static final Pattern LISTING_LINE = Pattern.compile("^(.*?)\\s+([A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\\s*$");

    private final Path executable;

    public Certutil(Path executable) {
        this.executable = Objects.requireNonNull(executable, "executable");
    }

    /**
     * The certutil on {@code path} (a PATH-style list), or the file {@code override} when given. None
     * on Windows, whose own certutil.exe is a different tool.
     */
    public static Optional<Certutil> locate(String path, String override, String osName) {
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(new Certutil(p)) : Optional.empty();
        }
        if (path == null || osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path p = Path.of(dir, "certutil");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(new Certutil(p));
                }
            }
        }
        return Optional.empty();
    }

    public Path executable() {
        return executable;
    }

    /** Nicknames in {@code db}, in listing order, each once. */
    public List<String> nicknames(Path db) {
        return parseListing(run("list the certificates of", db, "-L", "-d", sql(db)));
    }

    /** Every certificate stored under {@code nickname}, as PEM text. */
    public String exportPem(Path db, String nickname) {
        return run("export '" + nickname + "' from", db, "-L", "-d", sql(db), "-n", nickname, "-a");
    }

    /** Creates an empty database with no password (a throw-away profile). */
    public void create(Path db) {
        run("create", db, "-N", "--empty-password", "-d", sql(db));
    }

    /** Adds {@code pemFile} under {@code nickname}, trusted to identify web sites ({@code C,,}). */
    public void addTrustedCa(Path db, String nickname, Path pemFile) {
        run("add '" + nickname + "' to", db, "-A", "-d", sql(db), "-n", nickname, "-t", "C,,", "-i", pemFile.toString());
    }

    /** Deletes one certificate stored under {@code nickname}. */
    public void delete(Path db, String nickname) {
        run("delete '" + nickname + "' from", db, "-D", "-d", sql(db), "-n", nickname);
    }

    /** The nickname column of {@code certutil -L}: everything before the trust attributes. */
    static List<String> parseListing(String listing) {
        List<String> out = new ArrayList<>();
        for (String line : listing.split("\\R")) {
            if (line.isBlank() || line.startsWith("Certificate Nickname") || line.strip().equals("SSL,S/MIME,JAR/XPI")) {
                continue;
            }
            Matcher m = LISTING_LINE.matcher(line);
            if (m.matches() && !m.group(1).isBlank() && !out.contains(m.group(1).strip())) {
                out.add(m.group(1).strip());
            }
        }
        return out;
    }

    private static String sql(Path db) {
        return "sql:" + db.toAbsolutePath();
    }

    private String run(String what, Path db, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new TrustStoreException("cannot run " + executable + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TrustStoreException("certutil did not finish within " + TIMEOUT.toSeconds() + " s trying to "
                        + what + " the NSS database " + db);
            }
            if (p.exitValue() != 0) {
                throw new TrustStoreException("certutil could not " + what + " the NSS database " + db + ": "
                        + err.join().strip().replaceAll("\\s*\\R\\s*", " "));
            }
            return out.join();
        } catch (IOException e) {
            throw new TrustStoreException("cannot talk to certutil: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TrustStoreException("interrupted while certutil ran on " + db, e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
