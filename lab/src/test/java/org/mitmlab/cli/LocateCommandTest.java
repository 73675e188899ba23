package org.mitmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** locate's user errors; the probe itself runs in the Docker lab (DockerLabIT). */
class LocateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void hereOutsideTheDockerLabIsAOneLineErrorWithoutAnyDnsLookup() {
        int code = run("locate", "--here", "vk.com");
        assertThat(code).as("exit code").isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString().trim()).as("the error")
                .startsWith("mitmlab: --here works inside the Docker lab's client only")
                .doesNotContain("\n").doesNotContain("at org.");
    }

    @Test
    void anImpossibleTtlIsRefused() {
        assertThat(run("locate", "--max-ttl", "0", "vk.com")).as("exit code").isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).contains("--max-ttl 0 is out of range");
    }

    @Test
    void helpExplainsTheMethod() {
        assertThat(run("locate", "--help")).isZero();
        assertThat(out.toString()).contains("TTL").contains("--control");
    }
}
