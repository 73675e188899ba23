package org.mitmlab.exercise;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.exercise.Task.Judgement;

/**
 * {@code hunt} (hunt): find exactly which names this student's box intercepts, tell the decoys
 * from the 2019 names, name the signing root by its key, and show the vantage comparison was run.
 */
public final class HuntExercise implements Exercise {
    private static final List<String> LIST_2019 = DomainCatalogue.kz2019().targeted();

    private final List<Task> tasks = List.of(
            new Task("intercepted", 6, AnswerKind.NAMES, "every name your box intercepts, and no other", false,
                    (v, a, e) -> sameSet(a.names(), new TreeSet<>(v.targets()))),
            new Task("decoys", 2, AnswerKind.NAMES, "the intercepted names that were not on the 2019 list", false,
                    (v, a, e) -> sameSet(a.names(), decoys(v.targets()))),
            new Task("root-spki", 2, AnswerKind.SPKI, "SPKI SHA-256 of the national root at the top of the forged chains (the key browsers later blocked)", true,
                    (v, a, e) -> {
                        Optional<String> spki = e.flatMap(StudentEvents::labStarted).map(LabStarted::nationalRootSpki);
                        if (spki.isEmpty()) {
                            return Judgement.wrong("the lab-started line names no national root SPKI");
                        }
                        String expected = AnswerKind.normaliseHex(spki.get());
                        return Judgement.of(a.spki().equals(expected), "answered " + a.spki() + "; the lab's national root is " + expected);
                    }),
            new Task("vantage-evidence", 2, AnswerKind.NONE,
                    "no answer: your events file must show a vantage comparison ('mitmlab detect') for every intercepted name", true,
                    (v, a, e) -> {
                        Set<String> asked = new TreeSet<>();
                        e.map(StudentEvents::vantageQueries).orElse(List.of()).stream().map(VantageQueried::host)
                                .forEach(h -> HostNames.normalize(h).ifPresent(asked::add));
                        Set<String> never = new TreeSet<>(v.targets());
                        never.removeAll(asked);
                        return Judgement.of(never.isEmpty(), "never compared from the vantage point: " + String.join(", ", never));
                    }));

    @Override
    public String id() {
        return "hunt";
    }

    @Override
    public String title() {
        return "Hunt: find exactly which names your box intercepts";
    }

    @Override
    public String scenario() {
        return "hunt";
    }

    @Override
    public List<Task> tasks() {
        return tasks;
    }

    static Set<String> decoys(List<String> targets) {
        Set<String> out = new TreeSet<>(targets);
        out.removeAll(LIST_2019);
        return out;
    }

    /** Correct when equal; otherwise the reason lists what is missing and what is extra. */
    static Judgement sameSet(Set<String> answered, Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(answered);
        Set<String> extra = new TreeSet<>(answered);
        extra.removeAll(expected);
        if (missing.isEmpty() && extra.isEmpty()) {
            return Judgement.right();
        }
        StringBuilder why = new StringBuilder();
        if (!missing.isEmpty()) {
            why.append("missing: ").append(String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            why.append(why.length() == 0 ? "" : "; ").append("extra: ").append(String.join(", ", extra));
        }
        return Judgement.wrong(why.toString());
    }
}
