package org.mitmlab.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where trust stores live by default on a Linux machine or container, from a home directory and a
 * JDK home passed in (so tests point them at a temporary directory, never at the real ones).
 *
 * @param home          the user's home: {@code ~/.pki/nssdb} (Chromium) and {@code ~/.mozilla/firefox/*}
 * @param javaHome      the JDK: {@code lib/security/cacerts}
 * @param systemBundles candidate system bundles; only those that exist are read
 */
public record TrustLocations(Path home, Path javaHome, List<Path> systemBundles) {
    /** Debian/Ubuntu, then Fedora/RHEL. */
    public static final List<Path> SYSTEM_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"));

    public TrustLocations {
        home = home.toAbsolutePath().normalize();
        javaHome = javaHome.toAbsolutePath().normalize();
        systemBundles = List.copyOf(systemBundles);
    }

    public Path jdkCacerts() {
        return javaHome.resolve("lib").resolve("security").resolve("cacerts");
    }

    /** Chromium's (and most NSS tools') shared database on Linux. */
    public Path userNssDb() {
        return home.resolve(".pki").resolve("nssdb");
    }

    public Path firefoxProfiles() {
        return home.resolve(".mozilla").resolve("firefox");
    }

    /** The user's NSS database and every Firefox profile with a {@code cert9.db}, those that exist. */
    public List<Path> nssDatabases() {
        List<Path> out = new ArrayList<>();
        if (NssDatabase.exists(userNssDb())) {
            out.add(userNssDb());
        }
        if (Files.isDirectory(firefoxProfiles())) {
            try (Stream<Path> profiles = Files.list(firefoxProfiles())) {
                profiles.filter(NssDatabase::exists).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + firefoxProfiles(), e);
            }
        }
        return out;
    }

    public List<Path> existingSystemBundles() {
        return systemBundles.stream().filter(Files::isRegularFile).toList();
    }

    /**
     * Whether {@code dir} is one of the user's real browser databases ({@code ~/.pki/nssdb} or a
     * Firefox profile), compared after resolving links.
     */
    public boolean isRealProfile(Path dir) {
        Path d = canonical(dir);
        return d.equals(canonical(userNssDb())) || d.startsWith(canonical(firefoxProfiles()));
    }

    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException notThereYet) {
            return abs;
        }
    }
}
