package org.mitmlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.mitmlab.pki.Fingerprint;

/**
 * What the lab's browsers block, written where {@code mitmlab browser} and the simulated users read
 * it: {@code browser-blocklist.txt} in the state directory, one SPKI SHA-256 per line, as browsers
 * shipped the national root's key on 21 August 2019. A scenario without a block removes the file,
 * so a block never outlives its scenario.
 */
final class BrowserPolicy {
    static final String FILE = "browser-blocklist.txt";

    private BrowserPolicy() {
    }

    static void write(StateDir dir, boolean blockNationalRoot, X509Certificate nationalRoot) {
        Path file = dir.root().resolve(FILE);
        try {
            if (blockNationalRoot) {
                Files.writeString(file, "# SPKI SHA-256 of keys the lab's browsers refuse even when installed (scenario blocklist)\n"
                        + Fingerprint.spkiOf(nationalRoot).sha256Hex() + "  national root\n");
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
