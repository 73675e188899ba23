package org.mitmlab.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The --targets file of {@code mitmlab proxy}: exact names and {@code *.suffix} wildcards. */
class TargetListTest {
    private static final TargetList LIST = TargetList.parse(stream(
            "# instructor's targets\n"
            + "vk.com\n"
            + "\n"
            + "*.facebook.com   # every name below facebook.com\n"
            + "Intranet.Example.KZ.\n"), "targets.txt");

    @ParameterizedTest(name = "{0} matches: {1}")
    @CsvSource({
        "vk.com,                 true",
        "VK.COM.,                true",
        "www.vk.com,             false",
        "d01.facebook.com,       true",
        "a.b.facebook.com,       true",
        "D01.FaceBook.Com.,      true",
        "facebook.com,           false",
        "evilfacebook.com,       false",
        "facebook.com.evil.org,  false",
        "intranet.example.kz,    true",
        "example.kz,             false",
        "'',                     false",
        "not a name,             false",
    })
    void matches(String name, boolean expected) {
        assertThat(LIST.matches(name)).isEqualTo(expected);
    }

    @Test
    void nullNeverMatches() {
        assertThat(LIST.matches(null)).isFalse();
    }

    @Test
    void sizeCountsEntries() {
        assertThat(LIST.size()).isEqualTo(3);
    }

    @Test
    void windowsLineEndingsAreFine() {
        TargetList crlf = TargetList.parse(stream("vk.com\r\n*.google.com\r\n"), "crlf.txt");
        assertThat(crlf.matches("vk.com")).isTrue();
        assertThat(crlf.matches("mail.google.com")).isTrue();
    }

    @Test
    void badLineNamesFileAndLine() {
        assertThatThrownBy(() -> TargetList.parse(stream("vk.com\n# ok\nhttps://vk.com/\n"), "targets.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targets.txt:3")
                .hasMessageContaining("https://vk.com/");
    }

    @Test
    void badWildcardsAreRejected() {
        assertThatThrownBy(() -> TargetList.parse(stream("*.*.com\n"), "t.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.txt:1");
        assertThatThrownBy(() -> TargetList.parse(stream("vk.com\n*\n"), "t.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.txt:2");
        assertThatThrownBy(() -> TargetList.parse(stream("vk.com\nfoo.*.com\n"), "t.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.txt:2");
    }

    @Test
    void emptyListIsRejected() {
        assertThatThrownBy(() -> TargetList.parse(stream("# nothing\n\n"), "empty.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.txt").hasMessageContaining("no names");
    }

    @Test
    void anEmptyListIsAcceptedWhereNothingMayBeTargeted() {
        TargetList none = TargetList.parse(stream("\n"), "baseline-targets.txt", true);
        assertThat(none.size()).as("entries of an empty list").isZero();
        assertThat(none.matches("vk.com")).as("an empty list matches vk.com").isFalse();
    }

    @Test
    void readFromAFileNamesThePathInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("targets.txt"), "vk.com\n*.example.kz\n");
        assertThat(TargetList.read(good).matches("lab.example.kz")).isTrue();

        Path bad = Files.writeString(dir.resolve("bad.txt"), "vk.com\n\nbad name here\n");
        assertThatThrownBy(() -> TargetList.read(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad + ":3");

        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> TargetList.read(missing)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("missing.txt");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
