package org.mitmlab.event;

import java.time.Instant;

/**
 * The scenario's timeline entered a phase (flow id {@value LabStarted#FLOW}).
 *
 * @param phase     phase name ("pause")
 * @param date      the real date it stands for, or null
 * @param intercept whether the box intercepts during it
 * @param note      one sentence on what happened then
 */
public record PhaseChanged(String flowId, Instant time, String scenario, String phase, String date, boolean intercept,
        String note) implements FlowEvent {
}
