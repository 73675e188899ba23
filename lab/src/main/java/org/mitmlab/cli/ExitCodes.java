package org.mitmlab.cli;

/** The exit codes of every mitmlab command, in one place (also listed in the README). */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or an unexpected environment problem (the message says which). */
    public static final int INTERNAL = 1;
    /** Wrong flag, bad value, unknown subcommand: picocli's usage error. */
    public static final int USAGE = 2;
    /** A user mistake that picocli cannot see: a missing file, a port in use, a bad list entry. */
    public static final int USER_ERROR = 3;
    /** The command needs a running lab and none was found. */
    public static final int NO_LAB = 4;
    /** {@code detect}: at least one host is intercepted. */
    public static final int INTERCEPTION_FOUND = 10;
    /** {@code detect}: nothing was found, but at least one host could not be judged (unreachable, only hints). */
    public static final int INCONCLUSIVE = 11;
    /** {@code trust check}: a national or known interception root is installed in a trust store of this machine. */
    public static final int INTERCEPTION_ROOT_INSTALLED = 12;
    /** {@code check}: the answer file is not ready to hand in (something missing, malformed or unknown). */
    public static final int ANSWERS_INCOMPLETE = 13;

    private ExitCodes() {
    }
}
