package org.mitmlab.scenario;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mitmlab.pki.ForgeryProfile;

/**
 * One lesson, as loaded from {@code scenarios/NAME.yaml}: who the box targets and how it forges,
 * which share of paths it sits on, who installed the root, the history it plays, what browsers
 * block, and any other interceptor (an attacker holding a stolen key). Immutable and validated by
 * {@link ScenarioLoader}; per-student choices are made by {@link #resolve}.
 *
 * @param name      file name without .yaml ("kz-2019")
 * @param title     one line for lists
 * @param summary   a paragraph for {@code scenario show}
 * @param modes     where it runs: embedded, docker or both
 * @param root      style of the national root ("qaznet-2019", "isca-2020")
 * @param targets   names the box intercepts
 * @param forgery   how the box forges
 * @param paths     share of the simulated population's paths that cross the box (1.0: all)
 * @param box       where the box sits in the Docker lab
 * @param studentRootInstalled whether the student's own client (Docker client, lab browser) trusts the root
 * @param population simulated users browsing while the lab runs
 * @param timeline  the phases
 * @param blockNationalRoot whether browsers block the national root's key even when installed (21 Aug 2019)
 * @param attackers other interceptors, each on its own listener (embedded lab only)
 * @param exercise  the exercise this scenario belongs to, if any
 * @param source    where it was loaded from, for messages
 * @param text      the YAML it was parsed from, as written (the Docker lab hands it to the box)
 */
public record Scenario(String name, String title, String summary, Set<LabMode> modes, String root, TargetRule targets,
        ForgeryProfile forgery, double paths, BoxPlacement box, boolean studentRootInstalled, Population population,
        Timeline timeline, boolean blockNationalRoot, List<Attacker> attackers, Optional<String> exercise, String source,
        String text) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        modes = Set.copyOf(modes);
        attackers = List.copyOf(attackers);
        Objects.requireNonNull(exercise, "exercise");
        Objects.requireNonNull(text, "text");
    }

    /** Where a scenario can run. */
    public enum LabMode {
        EMBEDDED, DOCKER;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Where the box sits in the Docker topology: one router, or a per-student pick among several.
     *
     * @param choices routers that may host it (one element: fixed)
     */
    public record BoxPlacement(List<String> choices) {
        public BoxPlacement {
            choices = List.copyOf(choices);
            if (choices.isEmpty()) {
                throw new IllegalArgumentException("no router for the box");
            }
        }

        public boolean perStudent() {
            return choices.size() > 1;
        }
    }

    /**
     * Simulated users who browse while the lab runs (bounded: each visits each site once).
     *
     * @param users         how many
     * @param rootInstalled share of them who installed the national root
     * @param sites         names they visit; empty means the first three targets and one control
     * @param victim        whether one of them logs in with per-student credentials (an exercise's answer)
     */
    public record Population(int users, double rootInstalled, List<String> sites, boolean victim) {
        public Population {
            sites = List.copyOf(sites);
        }

        public static Population none() {
            return new Population(0, 0, List.of(), false);
        }
    }

    /**
     * Another interceptor with the national key (the stolen-root scenario): its own listener, targets
     * and forgery.
     *
     * @param name    short id shown in events and the banner ("cafe-wifi")
     * @param about   one sentence for the banner
     * @param targets names it intercepts
     * @param forgery how it forges
     */
    public record Attacker(String name, String about, List<String> targets, ForgeryProfile forgery) {
        public Attacker {
            targets = List.copyOf(targets);
        }
    }

    /** The same scenario without simulated users (a plain {@code mitmlab up}, tests that count events). */
    public Scenario withoutPopulation() {
        return new Scenario(name, title, summary, modes, root, targets, forgery, paths, box, studentRootInstalled,
                Population.none(), timeline, blockNationalRoot, attackers, exercise, source, text);
    }

    /** The same scenario with its timeline played at another speed ({@code --day}). */
    public Scenario withDay(java.time.Duration day) {
        return new Scenario(name, title, summary, modes, root, targets, forgery, paths, box, studentRootInstalled,
                population, timeline.withDay(day), blockNationalRoot, attackers, exercise, source, text);
    }

    /** What to pass to {@code --scenario} to run it again: the name of a built-in, else the file's path. */
    public String reference() {
        return source.equals("scenarios/" + name + ".yaml") ? name : source;
    }

    /** Leaves out {@link #text}, which is the whole file. */
    @Override
    public String toString() {
        return "Scenario[" + name + " from " + source + "]";
    }

    public boolean runsIn(LabMode mode) {
        return modes.contains(mode);
    }

    /** The scenario as one student sees it. */
    public ResolvedScenario resolve(StudentKey student) {
        List<String> t = targets.resolve(student);
        String router = box.choices().get(box.perStudent() ? student.random("box").nextInt(box.choices().size()) : 0);
        Optional<ResolvedScenario.Victim> victim = population.victim()
                ? Optional.of(ResolvedScenario.Victim.pick(t, student.random("victim")))
                : Optional.empty();
        return new ResolvedScenario(this, student, t, router, victim);
    }

    /** The scenario for a demo or a lecture: the variant of the built-in "demo" student. */
    public ResolvedScenario resolveDemo() {
        return resolve(ResolvedScenario.DEMO_STUDENT);
    }
}
