package org.mitmlab.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.scenario.Scenario.Attacker;
import org.mitmlab.scenario.Scenario.BoxPlacement;
import org.mitmlab.scenario.Scenario.LabMode;
import org.mitmlab.scenario.Scenario.Population;
import org.mitmlab.scenario.YamlDocument.Node;

/**
 * Reads scenario files (docs/scenarios.md describes the format). Built-in scenarios are the files
 * of the repository's {@code scenarios/} directory, packed into the jar; a path ending in .yaml
 * loads any other file. Every mistake is reported as {@code file:line: field: problem; fix}.
 */
public final class ScenarioLoader {
    /** The built-in scenarios, in teaching order. A test checks this matches scenarios/*.yaml. */
    public static final List<String> BUILT_IN = List.of("baseline", "kz-2019", "refusal", "blocklist", "stolen-root",
            "kz-2020-drill", "careless-mitm", "hunt", "locate");
    /** The scenario of a plain {@code mitmlab up}. */
    public static final String DEFAULT = "kz-2019";
    /** Routers of the Docker lab that can host the box. */
    public static final List<String> BOX_ROUTERS = List.of("isp", "ix");
    public static final List<String> ROOT_STYLES = List.of("qaznet-2019", "isca-2020");

    private static final String RESOURCE_DIR = "/org/mitmlab/scenarios/";

    private final DomainCatalogue sites;

    public ScenarioLoader(DomainCatalogue sites) {
        this.sites = sites;
    }

    public ScenarioLoader() {
        this(DomainCatalogue.kz2019());
    }

    /** A built-in name ("hunt") or a path to a .yaml file. */
    public Scenario load(String nameOrPath) {
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/")) {
            return loadFile(Path.of(nameOrPath));
        }
        if (!BUILT_IN.contains(nameOrPath)) {
            throw new ScenarioException("unknown scenario '" + nameOrPath + "': use one of " + String.join(", ", BUILT_IN)
                    + " ('mitmlab scenario list'), or a path to your own .yaml file");
        }
        return parse(builtInText(nameOrPath), "scenarios/" + nameOrPath + ".yaml", nameOrPath);
    }

    public List<Scenario> loadBuiltIns() {
        List<Scenario> out = new ArrayList<>();
        for (String n : BUILT_IN) {
            out.add(load(n));
        }
        return out;
    }

    public Scenario loadFile(Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(readFile(file), file.toString(), stem);
    }

    /**
     * A scenario saved under another file name, such as the copy the Docker lab stages for its box
     * as {@code scenario.yaml}: its name field is not checked against the file's name.
     */
    public Scenario loadCopy(Path file) {
        return parse(readFile(file), file.toString(), null);
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file + ": no such scenario file; give a built-in name (" + String.join(", ", BUILT_IN)
                    + ") or the path of a .yaml file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ScenarioException(file + ": not UTF-8 text; save the scenario as UTF-8 YAML");
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The text of a built-in scenario, as shipped. */
    public static String builtInText(String name) {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(RESOURCE_DIR + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a scenario; {@code expectedName} is the file's stem, which the name field must match. */
    public Scenario parse(String text, String source, String expectedName) {
        Node root = YamlDocument.parse(text, source).root();
        if (!root.isMapping()) {
            throw root.error("a scenario is a mapping of fields (name:, title:, targets:, ...)");
        }
        root.requireKeys(Set.of("name", "title", "summary", "modes", "root", "targets", "forgery", "interception", "student",
                "population", "timeline", "browsers", "attackers", "exercise"));
        String name = root.string("name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw root.get("name").error("'" + name + "' is not a scenario name; use lower-case letters, digits and '-'");
        }
        if (expectedName != null && !name.equals(expectedName)) {
            throw root.get("name").error("is '" + name + "' but the file is " + expectedName + ".yaml; make them the same");
        }
        String title = root.string("title");
        String summary = root.string("summary").strip();
        Set<LabMode> modes = modes(root.optional("modes"));
        String rootStyle = root.string("root", "qaznet-2019");
        if (!ROOT_STYLES.contains(rootStyle)) {
            throw root.get("root").error("unknown root style '" + rootStyle + "'; use one of " + String.join(", ", ROOT_STYLES));
        }
        TargetRule targets = targets(root.get("targets"));
        ForgeryProfile forgery = forgery(root.optional("forgery"), name);

        double paths = 1.0;
        BoxPlacement box = new BoxPlacement(List.of("isp"));
        Optional<Node> interception = root.optional("interception");
        if (interception.isPresent()) {
            Node i = interception.get().requireKeys(Set.of("paths", "box"));
            paths = i.optional("paths").map(Node::share).orElse(1.0);
            box = i.optional("box").map(this::box).orElse(box);
        }
        boolean studentInstalled = root.optional("student").map(s -> s.requireKeys(Set.of("root-installed"))
                .bool("root-installed", true)).orElse(true);
        Population population = root.optional("population").map(this::population).orElse(Population.none());
        if (population.victim() && targets.names().isEmpty() && targets.perStudent().isEmpty()) {
            throw root.get("population").get("victim").error("a victim logs in to a targeted site, but this scenario targets none");
        }
        Timeline timeline = root.optional("timeline").map(t -> timeline(t, forgery, name))
                .orElseGet(() -> Timeline.constant(!targets.names().isEmpty() || targets.perStudent().isPresent()));
        boolean block = root.optional("browsers").map(b -> b.requireKeys(Set.of("block-national-root"))
                .bool("block-national-root", false)).orElse(false);
        List<Attacker> attackers = new ArrayList<>();
        Optional<Node> a = root.optional("attackers");
        if (a.isPresent()) {
            Set<String> seen = new TreeSet<>();
            for (Node n : a.get().list()) {
                Attacker attacker = attacker(n, name);
                if (!seen.add(attacker.name())) {
                    throw n.get("name").error("two attackers are called '" + attacker.name() + "'; give each its own name");
                }
                attackers.add(attacker);
            }
        }
        if (!attackers.isEmpty() && modes.contains(LabMode.DOCKER)) {
            throw a.get().error("attackers run in the embedded lab only; set 'modes: [embedded]'");
        }
        Optional<String> exercise = root.optional("exercise").map(Node::text);
        return new Scenario(name, title, summary, modes, rootStyle, targets, forgery, paths, box, studentInstalled,
                population, timeline, block, attackers, exercise, source, text);
    }

    private Set<LabMode> modes(Optional<Node> node) {
        if (node.isEmpty()) {
            return EnumSet.allOf(LabMode.class);
        }
        Set<LabMode> out = EnumSet.noneOf(LabMode.class);
        for (Node n : node.get().list()) {
            String m = n.text();
            switch (m) {
                case "embedded" -> out.add(LabMode.EMBEDDED);
                case "docker" -> out.add(LabMode.DOCKER);
                default -> throw n.error("unknown mode '" + m + "'; use embedded, docker or both");
            }
        }
        if (out.isEmpty()) {
            throw node.get().error("lists no mode; use [embedded], [docker] or [embedded, docker]");
        }
        return out;
    }

    private TargetRule targets(Node t) {
        t.requireKeys(Set.of("list", "names", "add", "remove", "per-student"));
        Set<String> names = new TreeSet<>();
        Optional<Node> list = t.optional("list");
        if (list.isPresent()) {
            names.addAll(namedList(list.get()));
        }
        t.optional("names").ifPresent(n -> names.addAll(siteNames(n)));
        t.optional("add").ifPresent(n -> names.addAll(siteNames(n)));
        t.optional("remove").ifPresent(n -> names.removeAll(siteNames(n)));
        Optional<TargetRule.PerStudent> perStudent = Optional.empty();
        Optional<Node> ps = t.optional("per-student");
        if (ps.isPresent()) {
            Node p = ps.get().requireKeys(Set.of("from", "count", "decoys"));
            List<String> from = namedList(p.get("from"));
            int count = p.get("count").integer(1, from.size());
            List<String> decoyPool = new ArrayList<>();
            for (String s : allSites()) {
                if (!from.contains(s) && !names.contains(s)) {
                    decoyPool.add(s);
                }
            }
            int decoys = p.optional("decoys").map(d -> d.integer(0, decoyPool.size())).orElse(0);
            perStudent = Optional.of(new TargetRule.PerStudent(from, count, decoyPool, decoys));
        }
        if (!t.has("list") && !t.has("names") && ps.isEmpty()) {
            throw t.error("says nothing about targets; give 'list: kz-2019', 'list: none', 'names: [...]' or 'per-student:'");
        }
        return new TargetRule(new ArrayList<>(names), perStudent);
    }

    /** A built-in list name (kz-2019, none) or an explicit list of lab sites. */
    private List<String> namedList(Node n) {
        if (n.isScalar()) {
            return switch (n.text()) {
                case "kz-2019" -> DomainCatalogue.kz2019().targeted();
                case "none" -> List.of();
                default -> throw n.error("unknown list '" + n.text() + "'; use kz-2019 or none, or list the names");
            };
        }
        return siteNames(n);
    }

    private List<String> siteNames(Node n) {
        List<String> out = new ArrayList<>();
        List<Node> items = n.isScalar() ? List.of(n) : n.list();
        for (Node item : items) {
            String raw = item.text();
            String name = HostNames.normalize(raw).orElseThrow(() -> item.error("'" + raw + "' is not a host name"));
            if (!sites.isInsideLab(name)) {
                throw item.error("'" + raw + "' is not a lab site; 'mitmlab domains' lists the " + sites.sites().size() + " sites");
            }
            out.add(name);
        }
        return out;
    }

    private List<String> allSites() {
        List<String> out = new ArrayList<>();
        sites.sites().forEach(s -> out.add(s.name()));
        return out;
    }

    private BoxPlacement box(Node n) {
        List<String> routers = n.strings();
        for (String r : routers) {
            if (!BOX_ROUTERS.contains(r)) {
                throw n.error("'" + r + "' is not a router of the Docker lab that can host the box; use "
                        + String.join(" or ", BOX_ROUTERS) + " (a list picks one per student)");
            }
        }
        if (new LinkedHashSet<>(routers).size() != routers.size()) {
            throw n.error("names a router twice");
        }
        return new BoxPlacement(routers);
    }

    private Population population(Node p) {
        p.requireKeys(Set.of("users", "root-installed", "sites", "victim"));
        int users = p.optional("users").map(u -> u.integer(0, 50)).orElse(0);
        double installed = p.optional("root-installed").map(Node::share).orElse(0.0);
        List<String> visited = p.optional("sites").map(this::siteNames).orElse(List.of());
        boolean victim = p.bool("victim", false);
        return new Population(users, installed, visited, victim);
    }

    private Timeline timeline(Node t, ForgeryProfile scenarioForgery, String scenario) {
        t.requireKeys(Set.of("day", "steady", "phases"));
        Duration day = t.optional("day").map(Node::duration).orElse(Duration.ofSeconds(20));
        if (day.compareTo(Timeline.MIN_DAY) < 0 || day.compareTo(Timeline.MAX_DAY) > 0) {
            throw t.get("day").error("one scenario day must last between 100ms and 24h");
        }
        List<Timeline.Phase> phases = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        double lastDay = -1;
        for (Node n : t.get("phases").list()) {
            n.requireKeys(Set.of("name", "day", "date", "intercept", "note", "forgery"));
            String name = n.string("name");
            if (!names.add(name)) {
                throw n.get("name").error("two phases are called '" + name + "'");
            }
            double d;
            try {
                d = Double.parseDouble(n.string("day"));
            } catch (NumberFormatException e) {
                throw n.get("day").error("expected a day number such as 0, 3 or 4.5");
            }
            if (phases.isEmpty() && d != 0) {
                throw n.get("day").error("the first phase must start on day 0");
            }
            if (d <= lastDay) {
                throw n.get("day").error("phases must be in order: day " + d + " is not after day " + lastDay);
            }
            lastDay = d;
            if (!n.has("intercept")) {
                throw n.error("missing field 'intercept' (true or false)");
            }
            Optional<ForgeryProfile> phaseForgery = n.optional("forgery")
                    .map(f -> forgery(Optional.of(f), scenario + "/" + name, scenarioForgery));
            phases.add(new Timeline.Phase(name, d, n.string("date", null), n.get("intercept").bool(), n.string("note", ""),
                    phaseForgery));
        }
        if (phases.isEmpty()) {
            throw t.get("phases").error("lists no phase");
        }
        String steady = t.string("steady", phases.get(0).name());
        if (!names.contains(steady)) {
            throw t.get("steady").error("'" + steady + "' is not one of the phases: " + String.join(", ", names));
        }
        return new Timeline(day, steady, phases);
    }

    private Attacker attacker(Node n, String scenario) {
        n.requireKeys(Set.of("name", "about", "targets", "forgery"));
        String name = n.string("name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw n.get("name").error("'" + name + "' is not an id; use lower-case letters, digits and '-'");
        }
        List<String> targets = siteNames(n.get("targets"));
        ForgeryProfile forgery = forgery(n.optional("forgery"), scenario + "/" + name);
        return new Attacker(name, n.string("about", ""), targets, forgery);
    }

    /** A built-in profile name or a mapping: base profile plus overrides. */
    private ForgeryProfile forgery(Optional<Node> node, String defaultName) {
        return forgery(node, defaultName, ForgeryProfile.kz2019());
    }

    /** @param defaultBase what a mapping without 'base' changes (a phase: the scenario's own profile) */
    private ForgeryProfile forgery(Optional<Node> node, String defaultName, ForgeryProfile defaultBase) {
        if (node.isEmpty()) {
            return defaultBase;
        }
        Node f = node.get();
        if (f.isScalar()) {
            return baseProfile(f);
        }
        f.requireKeys(Set.of("base", "key-bits", "exponent", "validity-shift", "serial", "subject", "signer", "extensions"));
        ForgeryProfile base = f.optional("base").map(this::baseProfile).orElse(defaultBase);
        int keyBits = f.optional("key-bits").map(k -> k.integer(1024, 8192)).orElse(base.keyBits());
        BigInteger exponent = base.publicExponent();
        Optional<Node> e = f.optional("exponent");
        if (e.isPresent()) {
            int v = e.get().integer(3, 16_777_217);
            if (v % 2 == 0) {
                throw e.get().error("an RSA public exponent must be odd (3, 17, 65537)");
            }
            exponent = BigInteger.valueOf(v);
        }
        Duration shift = f.optional("validity-shift").map(Node::duration).orElse(base.validityShift());
        ForgeryProfile.SerialRule serial = f.optional("serial").map(s -> enumValue(s, ForgeryProfile.SerialRule.class)).orElse(base.serial());
        ForgeryProfile.SubjectRule subject = f.optional("subject").map(s -> enumValue(s, ForgeryProfile.SubjectRule.class)).orElse(base.subject());
        ForgeryProfile.Signer signer = f.optional("signer").map(s -> enumValue(s, ForgeryProfile.Signer.class)).orElse(base.signer());
        List<ForgeryProfile.ExtensionStep> extensions = base.extensions();
        Optional<Node> ext = f.optional("extensions");
        if (ext.isPresent()) {
            extensions = new ArrayList<>();
            for (Node step : ext.get().list()) {
                if (!step.isMapping() || step.mapping().size() != 1) {
                    throw step.error("write each extension as 'kind: treatment', e.g. '- subject-alt-name: copy'");
                }
                var entry = step.mapping().entrySet().iterator().next();
                ForgeryProfile.ExtensionKind kind = enumValue(entry.getKey(), step, ForgeryProfile.ExtensionKind.class);
                ForgeryProfile.Treatment treatment = enumValue(entry.getValue(), ForgeryProfile.Treatment.class);
                if (treatment == ForgeryProfile.Treatment.REGENERATE && kind != ForgeryProfile.ExtensionKind.SUBJECT_KEY_IDENTIFIER
                        && kind != ForgeryProfile.ExtensionKind.AUTHORITY_KEY_IDENTIFIER) {
                    throw entry.getValue().error(entry.getKey() + " cannot be regenerated, only copied (copy or copy-non-critical); "
                            + "only subject-key-identifier and authority-key-identifier are computed anew");
                }
                extensions.add(new ForgeryProfile.ExtensionStep(kind, treatment));
            }
        }
        try {
            return new ForgeryProfile(f.optional("base").isPresent() && f.mapping().size() == 1 ? base.name() : defaultName,
                    keyBits, exponent, shift, serial, subject, extensions, signer);
        } catch (IllegalArgumentException ex) {
            throw f.error(ex.getMessage());
        }
    }

    private ForgeryProfile baseProfile(Node n) {
        return switch (n.text()) {
            case "kz-2019" -> ForgeryProfile.kz2019();
            default -> throw n.error("unknown forgery profile '" + n.text() + "'; use kz-2019, or a mapping of fields "
                    + "(base, key-bits, exponent, validity-shift, serial, subject, signer, extensions)");
        };
    }

    private static <E extends Enum<E>> E enumValue(Node n, Class<E> type) {
        return enumValue(n.text(), n, type);
    }

    /** Enum constants in YAML are lower-case with '-' ("genuine-plus-random-32"). */
    private static <E extends Enum<E>> E enumValue(String text, Node at, Class<E> type) {
        String constant = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw at.error("'" + text + "' is not allowed here; use one of " + String.join(", ", allowed));
    }
}
