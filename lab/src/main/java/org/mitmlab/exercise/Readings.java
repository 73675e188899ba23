package org.mitmlab.exercise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documents the handouts link to (the 2019 facts, how the lab works, the detectors, ...), packed into the
 * jar next to the handouts. A student who was given only the jar can print them too, and a handout and
 * its readings written into one folder link to each other.
 */
public final class Readings {
    /** In the order a student meets them: the handouts link to these, and these to each other. */
    private static final List<String> IDS = List.of("kazakhstan-2019", "how-the-lab-works", "national-root",
            "detectors", "writing-a-detector", "docker-lab");
    /**
     * A Markdown link to a repository document: "../NAME.md" from a handout, "NAME.md" from a reading;
     * groups: label, name, anchor (may be empty).
     */
    private static final Pattern DOCUMENT_LINK = Pattern.compile("\\[([^\\]]*)\\]\\((?:\\.\\./)?([a-z0-9-]+)\\.md(#[^)\\s]*)?\\)");

    private Readings() {
    }

    public static List<String> ids() {
        return IDS;
    }

    /** The document as it is in the repository's docs/, or empty for a name that is not a reading. */
    public static Optional<String> text(String id) {
        if (!IDS.contains(id)) {
            return Optional.empty();
        }
        return Optional.of(packedText("readings/" + id + ".md"));
    }

    /** A Markdown file Maven packed into the jar under this package (the handouts, the readings). */
    static String packedText(String resource) {
        try (InputStream in = Readings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + resource + ": rebuild it with 'mvn package'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
    }

    /**
     * A handout or reading as printed: links to readings point at "NAME.md" in the same folder, where
     * {@code mitmlab handout NAME --out} puts them (in the repository the handouts sit one folder lower,
     * so their links start with "../"). A link to a document the jar does not carry becomes text naming
     * it in the repository. Nothing else changes.
     */
    public static String forPrinting(String markdown) {
        Matcher m = DOCUMENT_LINK.matcher(markdown);
        StringBuilder out = new StringBuilder(markdown.length());
        while (m.find()) {
            String label = m.group(1);
            String name = m.group(2);
            String anchor = m.group(3) == null ? "" : m.group(3);
            String replacement = IDS.contains(name)
                    ? "[" + label + "](" + name + ".md" + anchor + ")"
                    : label + " (docs/" + name + ".md in the mitmlab repository)";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
