package org.mitmlab.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.pki.Fingerprint;

/** browser-blocklist.txt: what the lab writes reads back; comments, openssl colons and bad lines. */
class SpkiBlocklistTest {
    /** The 2019 Qaznet root's SPKI SHA-256 (docs/kazakhstan-2019.md, section 2.1). */
    private static final Fingerprint QAZNET = new Fingerprint("b5ba8dd7f89564c2889d3d6453c84998c77824919b64ea0835aa62986591be50");
    private static final Fingerprint ISCA_2020 = new Fingerprint("8e12d0cb3b7df3ea2257579489fd8658c95603ea6cf4b73163a41eb7b7e93fee");

    @Test
    void writtenListReadsBackWithTheSameKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("browser-blocklist.txt");
        SpkiBlocklist.of(List.of(QAZNET, ISCA_2020)).write(file);

        SpkiBlocklist read = SpkiBlocklist.read(file);

        assertThat(read.contains(QAZNET)).isTrue();
        assertThat(read.contains(ISCA_2020)).isTrue();
        assertThat(read.keys()).hasSize(2);
        assertThat(Files.readAllLines(file)).as("the file: comments, then one hex digest a line")
                .contains(QAZNET.sha256Hex(), ISCA_2020.sha256Hex()).anyMatch(l -> l.startsWith("#"));
    }

    @Test
    void commentsBlankLinesUpperCaseAndColonsAreAccepted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("list.txt"),
                "# the Qaznet root\n\n  " + QAZNET.colonHex() + "  \n# end\n");

        SpkiBlocklist read = SpkiBlocklist.read(file);

        assertThat(read.keys()).containsExactly(QAZNET);
        assertThat(read.contains(ISCA_2020)).isFalse();
    }

    @Test
    void aLineThatIsNoDigestFailsWithFileAndLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("list.txt"), "# ok\n" + QAZNET.sha256Hex() + "\nb5ba8d\n");

        assertThatThrownBy(() -> SpkiBlocklist.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + ":3").hasMessageContaining("b5ba8d");
    }
}
