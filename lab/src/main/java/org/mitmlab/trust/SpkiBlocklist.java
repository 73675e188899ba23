package org.mitmlab.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.mitmlab.pki.Fingerprint;

/**
 * Keys a browser refuses even when the user installed the certificate, by SPKI SHA-256: Chromium's
 * {@code kSPKIBlockList}, Firefox's OneCRL entries for the 2019 root (21 August 2019). On disk
 * ({@code browser-blocklist.txt} in the state directory): one hex digest a line, {@code #} starts a
 * comment, blank lines are ignored; upper case and openssl's colons are accepted when reading.
 */
public record SpkiBlocklist(Set<Fingerprint> keys) {
    public SpkiBlocklist {
        keys = Set.copyOf(keys);
    }

    public static SpkiBlocklist of(Collection<Fingerprint> keys) {
        return new SpkiBlocklist(new LinkedHashSet<>(keys));
    }

    public static SpkiBlocklist empty() {
        return new SpkiBlocklist(Set.of());
    }

    /** Reads {@code file}; a line that is not a SHA-256 digest fails with {@code file:line}. */
    public static SpkiBlocklist read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the browser blocklist " + file, e);
        }
        Set<Fingerprint> keys = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String hex = line.replace(":", "").toLowerCase(Locale.ROOT);
            try {
                keys.add(new Fingerprint(hex));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected the SPKI SHA-256 of a key as 64 hex "
                        + "digits, got '" + line + "'", e);
            }
        }
        return new SpkiBlocklist(keys);
    }

    /** Writes the list, sorted, under a comment saying what it is. */
    public void write(Path file) {
        List<String> lines = new ArrayList<>(List.of(
                "# Keys the lab's browsers refuse even when installed (SPKI SHA-256, hex), as Chromium and",
                "# Firefox blocked the national root on 21 August 2019. One a line; '#' starts a comment."));
        keys.stream().map(Fingerprint::sha256Hex).sorted().forEach(lines::add);
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the browser blocklist " + file, e);
        }
    }

    public boolean contains(Fingerprint spki) {
        return keys.contains(spki);
    }

    /** The first of {@code certificates} whose key is listed. */
    public Optional<X509Certificate> firstBlocked(List<X509Certificate> certificates) {
        return certificates.stream().filter(c -> contains(Fingerprint.spkiOf(c))).findFirst();
    }
}
