package org.mitmlab.exercise;

import java.util.List;
import java.util.Optional;

/** The built-in exercises, in teaching order. */
public final class Exercises {
    private static final List<Exercise> ALL = List.of(new FirstContactExercise(), new HuntExercise(), new LocateExercise());

    private Exercises() {
    }

    public static List<Exercise> all() {
        return ALL;
    }

    public static Optional<Exercise> byId(String id) {
        return ALL.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return ALL.stream().map(Exercise::id).toList();
    }

    /** One line for messages: "unknown exercise 'x': use one of first-contact, hunt, locate". */
    public static String unknown(String id) {
        return "unknown exercise '" + id + "': use one of " + String.join(", ", ids());
    }
}
