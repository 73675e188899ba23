package org.mitmlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The lab's state directory and its layout. Default: {@code $MITMLAB_STATE_DIR}, else
 * {@code ~/.mitmlab}. Everything a running lab writes lives here; nothing of it belongs in git.
 *
 * <pre>
 * national-root.pem          the national root certificate (what students install or refuse)
 * national-root.key          its private key (0600), and national-intermediate.{pem,key}
 * public-roots.pem           the simulated public trust bundle (the lab's browser root store)
 * roots-with-national.pem    public roots + national root: a machine that installed the root
 * browser-blocklist.txt      SPKI SHA-256 (hex) of keys browsers refuse even when installed, one a line
 * events.jsonl               flow events, one JSON object per line (rotated at a size cap)
 * keys.log                   TLS secrets of both legs of intercepted connections, NSS format (0600;
 *                            only with 'up --key-log'; rotated at a size cap)
 * lab.json                   address of the running lab, removed when it stops
 * detect.json                in a Docker lab container instead of lab.json: what detect uses there
 * web-pki/                   the simulated public CAs and sites/NAME.{pem,key}
 * </pre>
 */
public record StateDir(Path root) {
    public StateDir {
        root = root.toAbsolutePath().normalize();
    }

    public static StateDir defaultLocation() {
        String env = System.getenv("MITMLAB_STATE_DIR");
        if (env != null && !env.isBlank()) {
            return new StateDir(Paths.get(env));
        }
        return new StateDir(Paths.get(System.getProperty("user.home"), ".mitmlab"));
    }

    /** Creates the directory (owner-only) if needed. */
    public StateDir prepare() {
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
                try {
                    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the user's profile directory is already private
                }
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + root, e);
        }
    }

    public Path nationalRoot() {
        return root.resolve("national-root.pem");
    }

    public Path publicRoots() {
        return root.resolve("public-roots.pem");
    }

    /** Public roots plus the national root: the trust store of a machine that installed the root. */
    public Path rootsWithNational() {
        return root.resolve("roots-with-national.pem");
    }

    /** Keys browsers block although the user installed them (21 August 2019); read by {@code SpkiBlocklist}. */
    public Path browserBlocklist() {
        return root.resolve("browser-blocklist.txt");
    }

    public Path events() {
        return root.resolve("events.jsonl");
    }

    /** The NSS key log ({@code SSLKEYLOGFILE} format) of a lab started with the key log on. */
    public Path keyLog() {
        return root.resolve("keys.log");
    }

    public Path labInfo() {
        return root.resolve("lab.json");
    }

    /** Where a Docker lab container finds what detect needs ({@link DetectSetup}). */
    public Path detectSetup() {
        return root.resolve("detect.json");
    }

    public Path webPki() {
        return root.resolve("web-pki");
    }

    public Path sites() {
        return root.resolve("web-pki").resolve("sites");
    }
}
