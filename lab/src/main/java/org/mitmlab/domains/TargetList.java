package org.mitmlab.domains;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A list of names to intercept, for {@code mitmlab proxy}: one per line, exact names or
 * {@code *.example.com} for every name below example.com (not example.com itself). The 2019 box
 * matched exact names; wildcards exist for instructors' own test domains.
 */
public final class TargetList {
    private final Set<String> exact;
    private final List<String> suffixes;

    private TargetList(Set<String> exact, List<String> suffixes) {
        this.exact = exact;
        this.suffixes = suffixes;
    }

    /** Parses the file; a bad line raises IllegalArgumentException naming file and line. */
    public static TargetList read(Path file) {
        return read(file, false);
    }

    /**
     * Parses the file; with {@code mayBeEmpty} a file without names is a list that matches nothing
     * (the Docker lab's box in a scenario that targets nothing, such as baseline).
     */
    public static TargetList read(Path file, boolean mayBeEmpty) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString(), mayBeEmpty);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static TargetList parse(InputStream in, String what) {
        return parse(in, what, false);
    }

    public static TargetList parse(InputStream in, String what, boolean mayBeEmpty) {
        Set<String> exact = new TreeSet<>();
        List<String> suffixes = new ArrayList<>();
        String text;
        try {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (entry.isEmpty()) {
                continue;
            }
            boolean wildcard = entry.startsWith("*.");
            String name = wildcard ? entry.substring(2) : entry;
            final int n = lineNo;
            String normal = HostNames.normalize(name).orElseThrow(() -> new IllegalArgumentException(what + ":" + n
                    + ": '" + entry + "' is not a host name; write one name per line, or *.example.com for its subdomains"));
            if (wildcard) {
                suffixes.add("." + normal);
            } else {
                exact.add(normal);
            }
        }
        if (exact.isEmpty() && suffixes.isEmpty() && !mayBeEmpty) {
            throw new IllegalArgumentException(what + " lists no names: add one host name per line");
        }
        return new TargetList(exact, suffixes);
    }

    public boolean matches(String name) {
        return HostNames.normalize(name).map(n -> exact.contains(n) || suffixes.stream().anyMatch(n::endsWith)).orElse(false);
    }

    public int size() {
        return exact.size() + suffixes.size();
    }
}
