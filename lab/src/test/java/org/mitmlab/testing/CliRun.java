package org.mitmlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.mitmlab.cli.Main;

/** Runs a {@code mitmlab} command in this JVM, as typed, and keeps what it printed. */
public final class CliRun {
    private CliRun() {
    }

    /** What one run printed and returned. */
    public record Result(int exit, String out, String err) {
        public String errLine() {
            return err.strip();
        }

        /** A user mistake: one line on stderr, no stack trace. */
        public void assertOneLineError() {
            assertThat(err.strip()).as("stderr: %s", err).isNotEmpty().doesNotContain("\n");
            assertThat(err).as("no stack trace").doesNotContain("at org.").doesNotContain("\tat ")
                    .doesNotContain("Exception in thread");
        }
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            exit = Main.run(args, o, e);
        }
        return new Result(exit, out.toString(), err.toString());
    }
}
