package org.mitmlab.cli;

/**
 * A mistake the user can fix: printed as one line naming the problem and the fix, never with a
 * stack trace (unless --verbose). Built through the factories so the wording stays consistent.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    private UserError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static UserError of(String problemAndFix) {
        return new UserError(problemAndFix, ExitCodes.USER_ERROR, null);
    }

    public static UserError of(String problemAndFix, Throwable cause) {
        return new UserError(problemAndFix, ExitCodes.USER_ERROR, cause);
    }

    public static UserError portInUse(String address, String portOption) {
        return new UserError(address + " is already in use: stop what listens there or choose another port with " + portOption,
                ExitCodes.USER_ERROR, null);
    }

    public static UserError noRunningLab(java.nio.file.Path stateDir) {
        return new UserError("no running lab found in " + stateDir + ": start one with 'mitmlab up' (same --state-dir)",
                ExitCodes.NO_LAB, null);
    }

    /** No embedded lab in {@code stateDir}, but the Docker lab's client is running: point at {@code --docker}. */
    public static UserError noRunningLabButDocker(java.nio.file.Path stateDir, String command) {
        return new UserError("no running lab found in " + stateDir + ", but the Docker lab is running: use 'mitmlab " + command
                + " --docker' (it runs in the lab's client container)", ExitCodes.NO_LAB, null);
    }

    public static UserError missingFile(String what, java.nio.file.Path file) {
        return new UserError(what + " " + file + " does not exist: check the path", ExitCodes.USER_ERROR, null);
    }
}
