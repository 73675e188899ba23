package org.mitmlab.exercise;

import java.util.Objects;

/**
 * The marks one task earned, with the reason: for the instructor, so it may name the expected value.
 *
 * @param task   task id ("intercepted"), or "-" for a row standing for a whole unreadable file
 * @param marks  marks earned (0 or max: a wrong answer loses exactly the task's marks)
 * @param max    marks available
 * @param reason one line: "correct", or why not
 */
public record TaskMark(String task, int marks, int max, String reason) {
    public TaskMark {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(reason, "reason");
        if (marks < 0 || marks > max) {
            throw new IllegalArgumentException("marks " + marks + " outside 0.." + max);
        }
    }

    public static TaskMark zero(String task, int max, String reason) {
        return new TaskMark(task, 0, max, reason);
    }
}
