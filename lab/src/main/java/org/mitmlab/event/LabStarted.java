package org.mitmlab.event;

import java.time.Instant;

/**
 * A lab started with a scenario (flow id {@value #FLOW}). The first line of every events file, so
 * graders and viewers know which lesson, which student's variant and which national root the rest
 * of the file belongs to.
 *
 * @param scenario       scenario name ("hunt")
 * @param student        the student id of the variant, or "demo"
 * @param mode           "embedded" or "docker"
 * @param nationalRootSpki SPKI SHA-256 (hex) of the national root this lab's box signs with
 * @param played         true when the scenario's timeline is played, false when a phase is held
 */
public record LabStarted(String flowId, Instant time, String scenario, String student, String mode,
        String nationalRootSpki, boolean played) implements FlowEvent {
    public static final String FLOW = "lab";
}
