package org.mitmlab.exercise;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;
import org.mitmlab.scenario.ScenarioException;
import org.mitmlab.scenario.YamlDocument.Node;

/**
 * The shape of an answer, and how to read one. Reading checks shape only (a lab site, 64 hex
 * digits), so {@code mitmlab check} can use it without knowing the right answer. Each reader
 * throws a {@code file:line: answers.TASK: problem; fix} error.
 */
public enum AnswerKind {
    /** A list of lab sites; [] is an answer (none). */
    NAMES("a list of lab sites, e.g. [vk.com, mail.ru] ([] for none)"),
    /** One lab site. */
    NAME("one lab site, e.g. vk.com"),
    /** Free text, compared exactly or leniently by the task. */
    TEXT("text, e.g. \"some value\" (quote it if it has ':' or '#')"),
    /** A whole number (decimal, or 0x hex). */
    INTEGER("a whole number, e.g. 7 or 0x7"),
    /** A SHA-256 of a SubjectPublicKeyInfo: 64 hex digits, colons and spaces allowed. */
    SPKI("an SPKI SHA-256: 64 hex digits (colons allowed), e.g. \"3f:a2:...\""),
    /** No answer: marked from the student's events only. */
    NONE("no answer: marked from your events file");

    private static final DomainCatalogue SITES = DomainCatalogue.kz2019();

    private final String format;

    AnswerKind(String format) {
        this.format = format;
    }

    /** How to write an answer of this kind, for templates and check messages. */
    public String format() {
        return format;
    }

    public boolean takesAnswer() {
        return this != NONE;
    }

    /** True when the student left it as the template had it: absent, null, or blank text. */
    public static boolean isBlank(Node n) {
        return n == null || n.isNull() || (n.isScalar() && n.text().isBlank());
    }

    /** The shape problem of an answer, or empty when it reads fine. */
    public Optional<String> problem(Node n) {
        try {
            switch (this) {
                case NAMES -> names(n);
                case NAME -> name(n);
                case TEXT -> text(n);
                case INTEGER -> integer(n);
                case SPKI -> spki(n);
                case NONE -> {
                }
            }
            return Optional.empty();
        } catch (ScenarioException e) {
            return Optional.of(e.getMessage());
        }
    }

    static Set<String> names(Node n) {
        if (n.isMapping()) {
            throw n.error("expected " + NAMES.format);
        }
        Set<String> out = new TreeSet<>();
        for (Node item : n.isList() ? n.list() : java.util.List.of(n)) {
            if (!item.isScalar()) {
                throw item.error("expected a host name, found a nested list or mapping; write [vk.com, mail.ru]");
            }
            out.add(site(item));
        }
        return out;
    }

    static String name(Node n) {
        if (!n.isScalar()) {
            throw n.error("expected " + NAME.format);
        }
        return site(n);
    }

    /** A lab site's canonical name; a pasted URL (https://vk.com/login) counts as its host. */
    private static String site(Node n) {
        String raw = n.text().strip();
        String host = raw.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("[/:?#].*$", "");
        String name = HostNames.normalize(host).orElseThrow(() -> n.error("'" + raw + "' is not a host name; write names such as vk.com"));
        if (!SITES.isInsideLab(name)) {
            throw n.error("'" + raw + "' is not a lab site; 'mitmlab domains' lists them");
        }
        return name;
    }

    static String text(Node n) {
        if (!n.isScalar()) {
            throw n.error("expected " + TEXT.format);
        }
        return n.text().strip();
    }

    static BigInteger integer(Node n) {
        String t = n.isScalar() ? n.text().strip().toLowerCase(Locale.ROOT) : "";
        try {
            if (t.matches("\\d{1,18}")) {
                return new BigInteger(t);
            }
            if (t.matches("0x[0-9a-f]{1,16}")) {
                return new BigInteger(t.substring(2), 16);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw n.error("expected " + INTEGER.format + (n.isScalar() ? ", found '" + n.text() + "'" : ""));
    }

    static String spki(Node n) {
        if (!n.isScalar()) {
            throw n.error("expected " + SPKI.format);
        }
        String hex = normaliseHex(n.text());
        if (!hex.matches("[0-9a-f]{64}")) {
            throw n.error("'" + n.text().strip() + "' is not 64 hex digits; paste the SPKI SHA-256 the lab or 'mitmlab detect' shows");
        }
        return hex;
    }

    /** Hex as the grader compares it: lower case, no colons or white space. */
    static String normaliseHex(String text) {
        return text.replaceAll("[:\\s]", "").toLowerCase(Locale.ROOT);
    }
}
