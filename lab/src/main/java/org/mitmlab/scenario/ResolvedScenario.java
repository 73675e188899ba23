package org.mitmlab.scenario;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.mitmlab.domains.DomainCatalogue;

/**
 * A scenario with every per-student choice made: the concrete targeted names, the router that hosts
 * the box, the victim whose login the box captures. The same scenario, secret and student always
 * resolve to the same values, so {@code mitmlab grade} recomputes what each student's lab did.
 *
 * @param scenario the scenario
 * @param student  whose variant this is ({@link #DEMO_STUDENT} without --student)
 * @param targets  names the box intercepts, sorted
 * @param boxRouter Docker role of the router running the box ("isp", "ix")
 * @param victim   the simulated user whose login is captured, when the scenario has one
 */
public record ResolvedScenario(Scenario scenario, StudentKey student, List<String> targets, String boxRouter,
        Optional<Victim> victim) {
    /** The variant used without --student: fixed, so demos and lectures are repeatable. */
    public static final StudentKey DEMO_STUDENT = StudentKey.derive(
            "mitmlab demo variant; not a secret".getBytes(StandardCharsets.US_ASCII), "demo");

    public ResolvedScenario {
        Objects.requireNonNull(scenario, "scenario");
        targets = List.copyOf(targets);
        Objects.requireNonNull(victim, "victim");
    }

    public String name() {
        return scenario.name();
    }

    public boolean isDemo() {
        return student.equals(DEMO_STUDENT);
    }

    /** The lab's sites with this variant's targets. */
    public DomainCatalogue catalogue(DomainCatalogue sites) {
        return sites.withTargets(new java.util.HashSet<>(targets));
    }

    /**
     * A simulated user who logs in to a targeted site; the box operator (and the student) can read
     * the credentials in the captured form.
     */
    public record Victim(String site, String username, String password) {
        private static final List<String> NAMES = List.of("aigerim", "nursultan", "dana", "yerlan", "madina", "arman",
                "zhanna", "timur", "saule", "daniyar", "aliya", "bolat", "gulnara", "askar", "kamila", "ruslan");
        private static final List<String> WORDS = List.of("steppe", "almaty", "baikonur", "altai", "caspian", "tengri",
                "dombra", "saryarka", "irbis", "shymkent", "kumys", "berkut", "tulpar", "zhuldyz");

        static Victim pick(List<String> targets, SplittableRandom r) {
            if (targets.isEmpty()) {
                throw new IllegalStateException("a victim needs at least one targeted site");
            }
            String site = targets.get(r.nextInt(targets.size()));
            String user = NAMES.get(r.nextInt(NAMES.size())) + "." + (10 + r.nextInt(90));
            String password = WORDS.get(r.nextInt(WORDS.size())) + "-" + (1000 + r.nextInt(9000));
            return new Victim(site, user, password);
        }
    }
}
