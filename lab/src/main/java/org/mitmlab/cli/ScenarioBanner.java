package org.mitmlab.cli;

import java.io.PrintWriter;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.Timeline;

/** The part of {@code up}'s banner that depends on the scenario: timeline, attackers, browser block, variant. */
final class ScenarioBanner {
    private ScenarioBanner() {
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static void print(PrintWriter out, EmbeddedLab lab, ScenarioOptions.Choice choice) {
        ResolvedScenario rs = choice.scenario();
        Scenario s = rs.scenario();
        out.println();
        out.println("Scenario " + s.name() + (choice.forStudent() ? " (the variant of " + rs.student().student() + ")" : "")
                + ": 'mitmlab scenario show " + s.reference() + "' explains it.");
        Timeline t = s.timeline();
        if (choice.hold().isPresent() || !t.hasHistory()) {
            Timeline.Phase p = lab.timeline().currentPhase();
            if (t.hasHistory()) {
                out.println("  holding phase   " + p.name() + (p.date() == null ? "" : " (" + p.date() + ")") + ": interception "
                        + (p.intercept() ? "on" : "off") + "; play the whole timeline with --scenario " + s.reference() + " and no --phase");
            }
        } else {
            out.println("  timeline        " + t.phases().size() + " phases, one scenario day = " + seconds(t.day()) + ", "
                    + seconds(lab.timeline().length()) + " in all (--day changes the speed); each phase change is printed "
                    + "here and sent to the dashboard");
        }
        for (EmbeddedLab.AttackerProxy a : lab.attackers()) {
            out.println("  attacker        http://" + a.address().getAddress().getHostAddress() + ":" + a.address().getPort() + "   ("
                    + a.name() + ": " + a.about() + "; use it as the proxy to be its victim)");
        }
        if (s.blockNationalRoot()) {
            out.println("  browser block   " + lab.config().stateDir().root().resolve("browser-blocklist.txt")
                    + "   (browsers refuse the national root's key; 'mitmlab browser' honours it, curl does not)");
        }
        if (!s.studentRootInstalled()) {
            out.println("  your machine    did NOT install the national root: use public-roots.pem ('mitmlab browser' refuses it too)");
        }
        s.exercise().ifPresent(e -> out.println("  exercise        " + e + ": read it with 'mitmlab handout " + e + "'"
                + (choice.forStudent() ? "; answer in " + lab.config().stateDir().root().resolve("answers-" + e + ".yaml") : "")));
        out.flush();
    }
}
