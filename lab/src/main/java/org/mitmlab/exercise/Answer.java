package org.mitmlab.exercise;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Set;
import org.mitmlab.scenario.YamlDocument.Node;

/**
 * A student's answer to one task, already checked for shape by {@link Task#mark}: the typed
 * readers below do not fail for the task's own kind.
 *
 * @param kind the task's answer kind
 * @param node the answer as written (null for {@link AnswerKind#NONE})
 */
public record Answer(AnswerKind kind, Node node) {
    public Answer {
        Objects.requireNonNull(kind, "kind");
    }

    public Set<String> names() {
        return AnswerKind.names(node);
    }

    public String name() {
        return AnswerKind.name(node);
    }

    public String text() {
        return AnswerKind.text(node);
    }

    public BigInteger integer() {
        return AnswerKind.integer(node);
    }

    /** 64 lower-case hex digits. */
    public String spki() {
        return AnswerKind.spki(node);
    }
}
