package org.mitmlab.exercise;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.mitmlab.exercise.Task.Judgement;
import org.mitmlab.lab.docker.DockerTopology;

/**
 * {@code locate} (locate, Docker lab): find the hop, the router and an address of the router that
 * runs this student's box. Expected values come from {@link DockerTopology}, the same place the lab
 * builds its networks from.
 */
public final class LocateExercise implements Exercise {
    private final List<Task> tasks = List.of(
            new Task("hop", 4, AnswerKind.INTEGER, "the hop number (TTL) at which the box answers", false,
                    (v, a, e) -> {
                        int hop = DockerTopology.hopOf(v.boxRouter());
                        return Judgement.of(a.integer().longValue() == hop && a.integer().bitLength() < 32,
                                "answered " + a.integer() + "; the box is on " + v.boxRouter() + ", hop " + hop);
                    }),
            new Task("router", 3, AnswerKind.TEXT, "the role of the router running the box, as 'mitmlab shell' names it", false,
                    (v, a, e) -> Judgement.of(router(a.text()).equals(v.boxRouter()),
                            "answered '" + a.text() + "'; the box runs on " + v.boxRouter())),
            new Task("address", 3, AnswerKind.TEXT, "an IP address of that router", false,
                    (v, a, e) -> {
                        TreeSet<String> addresses = new TreeSet<>(DockerTopology.ADDRESSES.get(v.boxRouter()).values());
                        return Judgement.of(addresses.contains(a.text()),
                                "answered " + a.text() + "; " + v.boxRouter() + " has " + String.join(" and ", addresses));
                    }));

    @Override
    public String id() {
        return "locate";
    }

    @Override
    public String title() {
        return "Locate: find the hop where the box sits";
    }

    @Override
    public String scenario() {
        return "locate";
    }

    @Override
    public List<Task> tasks() {
        return tasks;
    }

    /** "ix", "IX" and the container name "mitmlab-ix" all name the role ix. */
    static String router(String answer) {
        String r = answer.strip().toLowerCase(Locale.ROOT);
        return r.startsWith(DockerTopology.PREFIX) ? r.substring(DockerTopology.PREFIX.length()) : r;
    }
}
