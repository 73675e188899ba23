package org.mitmlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.trust.SpkiBlocklist;

/**
 * What the lab's browsers block, written where {@code mitmlab browser --blocklist} and the simulated
 * users read it ({@link StateDir#browserBlocklist()}), as browsers shipped the national root's key
 * on 21 August 2019. A scenario without a block removes the file, so a block never outlives its
 * scenario.
 */
final class BrowserPolicy {
    private BrowserPolicy() {
    }

    /** Writes or removes the file; returns the block the simulated users apply. */
    static SpkiBlocklist write(StateDir dir, boolean blockNationalRoot, X509Certificate nationalRoot) {
        if (blockNationalRoot) {
            SpkiBlocklist block = SpkiBlocklist.of(List.of(Fingerprint.spkiOf(nationalRoot)));
            block.write(dir.browserBlocklist());
            return block;
        }
        try {
            Files.deleteIfExists(dir.browserBlocklist());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir.browserBlocklist(), e);
        }
        return SpkiBlocklist.empty();
    }
}
