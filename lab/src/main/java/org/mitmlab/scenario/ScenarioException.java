package org.mitmlab.scenario;

/**
 * A scenario (or answer) file is wrong. The message is one line for the user and names the file,
 * the line and the field, then the fix: {@code scenarios/hunt.yaml:12: targets.per-student.count: ...}.
 */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
