package org.mitmlab.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point. User mistakes become one line on stderr and a named exit code; anything else is a
 * bug and also gets one line, plus the stack trace under {@code --verbose}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Netty samples buffers for leak reports unless told otherwise, at a cost on every intercepted
        // connection; the tests run at PARANOID (set by Maven), users need none of it
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new MitmlabCommand());
        cl.setOut(out);
        cl.setErr(err);
        // A wrong flag gets one line and a pointer to --help, not the whole usage text.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("mitmlab: " + ex.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            boolean verbose = parse.matchedOption("--verbose") != null || Boolean.getBoolean("mitmlab.verbose");
            if (ex instanceof UserError u) {
                err.println("mitmlab: " + u.getMessage());
                if (verbose && u.getCause() != null) {
                    u.getCause().printStackTrace(err);
                }
                return u.exitCode();
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("mitmlab: " + ex.getMessage());
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return ExitCodes.USER_ERROR;
            }
            err.println("mitmlab: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            return ExitCodes.INTERNAL;
        });
        return cl;
    }
}
