package org.mitmlab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.ScenarioLoader;
import org.mitmlab.scenario.TargetRule;
import org.mitmlab.scenario.Timeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code mitmlab scenario list|show|start}: the lessons the lab can run. */
@Command(name = "scenario", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List, explain and start scenarios (lessons): which names are intercepted, how, for whom, and when.",
        subcommands = {ScenarioCommand.ListScenarios.class, ScenarioCommand.Show.class, ScenarioCommand.Start.class},
        footer = {"", "Examples:", "  mitmlab scenario list", "  mitmlab scenario show kz-2019",
            "  mitmlab scenario start kz-2019   # same as: mitmlab up --scenario kz-2019",
            "  mitmlab scenario start hunt --student alice@uni.example \\",
            "      --secret-file secret.txt"})
public final class ScenarioCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: list, show NAME or start NAME");
    }

    static Scenario load(String name) {
        try {
            return new ScenarioLoader().load(name);
        } catch (ScenarioException e) {
            throw UserError.of(e.getMessage());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List the built-in scenarios.")
    static final class ListScenarios implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-14s %-16s %s%n", "SCENARIO", "RUNS IN", "WHAT IT SHOWS");
            for (Scenario s : new ScenarioLoader().loadBuiltIns()) {
                out.printf("%-14s %-16s %s%n", s.name(), modes(s), s.title());
            }
            out.println();
            out.println("'mitmlab scenario show NAME' explains one; 'mitmlab up --scenario NAME' (or 'scenario start NAME') runs it.");
            out.flush();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Explain a scenario: targets, forgery, population, timeline, browsers, attackers, exercise.")
    static final class Show implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "NAME|FILE", description = "A built-in scenario or a .yaml file.")
        private String name;

        @Override
        public void run() {
            Scenario s = load(name);
            PrintWriter out = spec.commandLine().getOut();
            out.println(s.name() + ": " + s.title());
            out.println();
            for (String line : wrap(s.summary(), 96)) {
                out.println("  " + line);
            }
            out.println();
            row(out, "runs in", modes(s) + (s.runsIn(Scenario.LabMode.DOCKER) ? "" : " (not with --docker)"));
            row(out, "national root", s.root().equals("isca-2020")
                    ? "isca-2020: \"Information Security Certification Authority CA\" (December 2020)"
                    : "qaznet-2019: \"Qaznet Trust Network\" with the \"Security Certificate\" intermediate");
            row(out, "targets", targets(s.targets()));
            row(out, "forgery", forgery(s.forgery()));
            row(out, "paths", Math.round(s.paths() * 100) + "% of the simulated users' paths cross the box");
            if (s.runsIn(Scenario.LabMode.DOCKER)) {
                row(out, "box (Docker)", s.box().perStudent() ? "on one of " + String.join(", ", s.box().choices()) + ", per student"
                        : "on the " + s.box().choices().get(0) + " router");
            }
            row(out, "your machine", s.studentRootInstalled() ? "installed the national root" : "did NOT install the national root");
            Scenario.Population p = s.population();
            row(out, "population", p.users() == 0 ? "no simulated users" : p.users() + " simulated users, "
                    + Math.round(p.rootInstalled() * 100) + "% installed the root" + (p.victim() ? "; one signs in to a targeted site" : ""));
            row(out, "browsers", s.blockNationalRoot() ? "block the national root's key even where installed" : "trust what the user installed");
            for (Scenario.Attacker a : s.attackers()) {
                row(out, "attacker", a.name() + ": " + a.about() + "; intercepts " + String.join(", ", a.targets()));
            }
            Timeline t = s.timeline();
            if (t.hasHistory()) {
                row(out, "timeline", "one scenario day = " + t.day().toSeconds() + " s; without --phase the lab plays it, "
                        + "'up' without --scenario holds '" + t.steady() + "'");
                for (Timeline.Phase ph : t.phases()) {
                    String own = ph.forgery().filter(f -> !f.equals(s.forgery()))
                            .map(f -> " [forged keys RSA-" + f.keyBits() + ", e=" + f.publicExponent() + "]").orElse("");
                    out.printf("    day %-5s %-11s %-15s %-4s %s%s%n", fmtDay(ph.day()), ph.date() == null ? "" : ph.date(), ph.name(),
                            ph.intercept() ? "ON" : "off", ph.note(), own);
                }
            } else {
                row(out, "timeline", "none: interception is " + (t.phases().get(0).intercept() ? "on" : "off") + " all the time");
            }
            s.exercise().ifPresent(e -> row(out, "exercise", e + ": 'mitmlab handout " + e + "'; start it with --student ID --secret-file FILE"));
            out.println();
            out.println("Start it: mitmlab up --scenario " + name + (s.runsIn(Scenario.LabMode.EMBEDDED) ? "" : " --docker"));
            out.flush();
        }

        private static String fmtDay(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }

        private static String targets(TargetRule t) {
            StringBuilder b = new StringBuilder();
            if (!t.names().isEmpty()) {
                b.append(t.names().size()).append(" names: ").append(String.join(", ", t.names()));
            }
            t.perStudent().ifPresent(p -> {
                if (b.length() > 0) {
                    b.append("; plus ");
                }
                b.append(p.count()).append(" of ").append(p.from().size()).append(" names and ").append(p.decoyCount())
                        .append(" decoys from outside that list, chosen per student (secret)");
            });
            return b.length() == 0 ? "none: the box intercepts nothing" : b.toString();
        }

        private static String forgery(ForgeryProfile f) {
            return f.name() + ": new RSA-" + f.keyBits() + " key, e=" + f.publicExponent() + ", validity shifted by "
                    + f.validityShift().toHours() + " h, serial " + id(f.serial()) + ", subject " + id(f.subject()) + ", signed by "
                    + (f.signer() == ForgeryProfile.Signer.INTERMEDIATE ? "the national intermediate"
                    : f.signer() == ForgeryProfile.Signer.ROOT ? "the national root" : "itself (self-signed)")
                    + "; extensions " + String.join(" ", f.extensions().stream().map(e -> id(e.kind()) + "(" + id(e.treatment()) + ")").toList());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Start a scenario: the same as 'mitmlab up --scenario NAME'; every option of 'up' works here.")
    static final class Start implements java.util.concurrent.Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "NAME|FILE", description = "A built-in scenario or a .yaml file.")
        private String name;

        @Unmatched
        private List<String> upOptions = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>(List.of("up", "--scenario", name));
            args.addAll(upOptions);
            CommandLine root = spec.root().commandLine();
            return root.execute(args.toArray(String[]::new));
        }
    }

    static String modes(Scenario s) {
        List<String> m = new ArrayList<>();
        if (s.runsIn(Scenario.LabMode.EMBEDDED)) {
            m.add("embedded");
        }
        if (s.runsIn(Scenario.LabMode.DOCKER)) {
            m.add("docker");
        }
        return String.join(", ", m);
    }

    private static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void row(PrintWriter out, String label, String text) {
        List<String> lines = wrap(text, 80);
        out.printf("  %-14s %s%n", label, lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            out.printf("  %-14s %s%n", "", l);
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String para : text.split("\n\\s*\n")) { // paragraphs; single newlines are re-flowed
            StringBuilder line = new StringBuilder();
            for (String word : para.trim().split("\\s+")) {
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.add(line.toString());
        }
        return out;
    }
}
