package org.mitmlab.domains;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sites of the lab and the targeted set, loaded from the data files shipped in the jar.
 * Immutable; the targeted set can be narrowed or replaced per scenario with {@link #withTargets}.
 */
public final class DomainCatalogue {
    /** Where the 37 names come from; printed by {@code mitmlab domains}. */
    public static final String TARGETS_SOURCE =
            "Censored Planet, \"Kazakhstan's HTTPS Interception\" (July 2019) and Raman et al., IMC 2020, Table 2";
    public static final String CONTROLS_SOURCE =
            "chosen by the mitmlab authors: Kazakh and global sites that were not on the 2019 list";

    private final Map<String, LabSite> sites;
    private final Set<String> targets;

    private DomainCatalogue(Map<String, LabSite> sites, Set<String> targets) {
        this.sites = Collections.unmodifiableMap(sites);
        this.targets = Collections.unmodifiableSet(targets);
    }

    /** The catalogue as shipped: every site of {@code sites.tsv}, targeted = the 2019 list. */
    public static DomainCatalogue kz2019() {
        List<String> targetList = readNames("kz2019-domains.txt");
        List<String> controlList = readNames("control-domains.txt");
        Map<String, LabSite> sites = new LinkedHashMap<>();
        for (String line : readLines("sites.tsv")) {
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new IllegalStateException("sites.tsv: expected 6 tab-separated columns in: " + line);
            }
            String name = HostNames.normalize(f[0]).orElseThrow(() -> new IllegalStateException("sites.tsv: bad name " + f[0]));
            SiteRole role = SiteRole.valueOf(f[1].toUpperCase(java.util.Locale.ROOT));
            sites.put(name, new LabSite(name, role, f[2], f[3], f[4], f[5]));
        }
        for (String t : targetList) {
            LabSite s = sites.get(t);
            if (s == null || !s.targeted()) {
                throw new IllegalStateException("sites.tsv lacks targeted site " + t);
            }
        }
        for (String c : controlList) {
            LabSite s = sites.get(c);
            if (s == null || s.targeted()) {
                throw new IllegalStateException("sites.tsv lacks control site " + c);
            }
        }
        return new DomainCatalogue(sites, new TreeSet<>(targetList));
    }

    /**
     * This catalogue's sites and these new ones, targeted as their role says; for a private simulated
     * Internet such as the proxy's warm-up, never the lab's own.
     */
    public DomainCatalogue withSites(List<LabSite> more) {
        Map<String, LabSite> all = new LinkedHashMap<>(sites);
        Set<String> t = new TreeSet<>(targets);
        for (LabSite s : more) {
            String name = HostNames.normalize(s.name()).orElseThrow(() -> new IllegalArgumentException("not a DNS name: " + s.name()));
            if (all.putIfAbsent(name, s) != null) {
                throw new IllegalArgumentException("already a lab site: " + name);
            }
            if (s.targeted()) {
                t.add(name);
            }
        }
        return new DomainCatalogue(all, t);
    }

    /** The same sites with another targeted set (a scenario's); every name must be a lab site. */
    public DomainCatalogue withTargets(Set<String> names) {
        Set<String> normalised = new TreeSet<>();
        for (String n : names) {
            String name = HostNames.normalize(n).orElseThrow(() -> new IllegalArgumentException("not a DNS name: " + n));
            if (!sites.containsKey(name)) {
                throw new IllegalArgumentException("not a lab site: " + n);
            }
            normalised.add(name);
        }
        return new DomainCatalogue(new LinkedHashMap<>(sites), normalised);
    }

    public List<LabSite> sites() {
        return List.copyOf(sites.values());
    }

    public Optional<LabSite> site(String name) {
        return HostNames.normalize(name).map(sites::get);
    }

    /** True when the simulated Internet hosts this name. */
    public boolean isInsideLab(String name) {
        return site(name).isPresent();
    }

    /** True when the interceptor forges a certificate for this SNI. */
    public boolean isTargeted(String name) {
        return HostNames.normalize(name).map(targets::contains).orElse(false);
    }

    /** Targeted names, sorted. */
    public List<String> targeted() {
        return List.copyOf(targets);
    }

    /** Lab names that are not targeted, sorted. */
    public List<String> controls() {
        List<String> out = new ArrayList<>();
        for (String n : new TreeSet<>(sites.keySet())) {
            if (!targets.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Reads a one-name-per-line data file; '#' starts a comment. */
    public static List<String> parseNames(InputStream in, String what) {
        List<String> out = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (text.isEmpty()) {
                    continue;
                }
                final int n = lineNo;
                out.add(HostNames.normalize(text).orElseThrow(() -> new IllegalArgumentException(
                        what + ":" + n + ": '" + text + "' is not a DNS name; write one host name per line")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> readNames(String resource) {
        return parseNames(open(resource), resource);
    }

    private static List<String> readLines(String resource) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static InputStream open(String resource) {
        InputStream in = DomainCatalogue.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing data file in the jar: " + resource);
        }
        return in;
    }
}
