package org.mitmlab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Which names a scenario's box intercepts: a fixed list, or (for exercises) a per-student random
 * pick from a list plus decoys from outside it.
 *
 * @param names      names targeted for everyone (sorted, lab sites)
 * @param perStudent the per-student pick, when the scenario has one
 */
public record TargetRule(List<String> names, Optional<PerStudent> perStudent) {
    public TargetRule {
        names = List.copyOf(new TreeSet<>(names));
        Objects.requireNonNull(perStudent, "perStudent");
    }

    /**
     * @param from   the list to pick from (e.g. the 37 names of 2019)
     * @param count  how many of them each student's box intercepts
     * @param decoys the names decoys are drawn from (lab sites outside {@code from})
     * @param decoyCount how many decoys are added
     */
    public record PerStudent(List<String> from, int count, List<String> decoys, int decoyCount) {
        public PerStudent {
            from = List.copyOf(new TreeSet<>(from));
            decoys = List.copyOf(new TreeSet<>(decoys));
            if (count < 1 || count > from.size()) {
                throw new IllegalArgumentException("count must be 1.." + from.size());
            }
            if (decoyCount < 0 || decoyCount > decoys.size()) {
                throw new IllegalArgumentException("decoys must be 0.." + decoys.size());
            }
        }
    }

    /** The concrete targets for one student (the fixed names plus this student's pick). */
    public List<String> resolve(StudentKey student) {
        TreeSet<String> out = new TreeSet<>(names);
        perStudent.ifPresent(p -> {
            SplittableRandom r = student.random("targets");
            out.addAll(pick(p.from(), p.count(), r));
            out.addAll(pick(p.decoys(), p.decoyCount(), r));
        });
        return List.copyOf(out);
    }

    /** A uniform pick without repetition (partial Fisher-Yates on a copy). */
    private static List<String> pick(List<String> from, int count, SplittableRandom r) {
        List<String> pool = new ArrayList<>(from);
        for (int i = 0; i < count; i++) {
            int j = i + r.nextInt(pool.size() - i);
            String t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return pool.subList(0, count);
    }
}
