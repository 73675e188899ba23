package org.mitmlab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.lab.SimulatedPopulation.Outcome;
import org.mitmlab.lab.SimulatedPopulation.Visit;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario.Population;

/**
 * The scenario's simulated users, run once in the background after the lab starts, so the
 * dashboard has a country to show: users on paths through the box (some with the root installed,
 * some without) visit a few sites; the rest of the population is on paths the box never sees. The
 * victim, when the scenario has one, then signs in to a targeted site.
 */
final class ScenarioPopulation {
    private ScenarioPopulation() {
    }

    /** Starts the visits on a daemon thread; {@code progress} gets one summary line. */
    static Thread start(ResolvedScenario scenario, DomainCatalogue catalogue, SimulatedPopulation population,
            Consumer<String> progress) {
        Population p = scenario.scenario().population();
        Thread t = new Thread(() -> run(scenario, catalogue, p, population, progress), "mitmlab-population");
        t.setDaemon(true);
        if (p.users() > 0 || scenario.victim().isPresent()) {
            t.start();
        }
        return t;
    }

    private static void run(ResolvedScenario scenario, DomainCatalogue catalogue, Population p, SimulatedPopulation population,
            Consumer<String> progress) {
        int onBoxPaths = (int) Math.round(p.users() * scenario.scenario().paths());
        int installed = (int) Math.round(onBoxPaths * p.rootInstalled());
        try {
            List<Visit> visits = population.run(installed, onBoxPaths - installed, sites(p, catalogue));
            long pages = visits.stream().filter(v -> v.outcome() == Outcome.PAGE).count();
            long errors = visits.stream().filter(v -> v.outcome() == Outcome.CERTIFICATE_ERROR).count();
            if (p.users() > 0) {
                progress.accept("Simulated users: " + onBoxPaths + " of " + p.users() + " on paths through the box ("
                        + installed + " installed the root), " + (p.users() - onBoxPaths) + " on paths the box never sees; "
                        + pages + " pages loaded, " + errors + " certificate errors.");
            }
            scenario.victim().ifPresent(v -> population.login(v.site(), v.username(), v.password()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            progress.accept("Simulated users stopped: " + e.getMessage());
        }
    }

    /** The scenario's list, or the first three targets and one control. */
    static List<String> sites(Population p, DomainCatalogue catalogue) {
        if (!p.sites().isEmpty()) {
            return p.sites();
        }
        List<String> out = new ArrayList<>(catalogue.targeted().subList(0, Math.min(3, catalogue.targeted().size())));
        out.add(catalogue.controls().get(0));
        return out;
    }
}
