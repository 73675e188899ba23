package org.mitmlab.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed YAML file that remembers the line of every value, so errors can say
 * {@code file:line: field: problem; fix}. Only what scenario and answer files need: mappings,
 * lists and scalars (kept as text). Duplicate keys are an error: YAML allows silently taking the
 * last one, which hides typos in hand-edited files.
 */
public final class YamlDocument {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final String source;
    private final Node root;

    private YamlDocument(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Parses {@code text}; {@code source} names it in messages (a path, or "built-in hunt.yaml"). */
    public static YamlDocument parse(String text, String source) {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ScenarioException(source + ": the file is empty");
            }
            Node root = read(p, source, "");
            if (p.nextToken() != null) {
                throw new ScenarioException(source + ":" + line(p.currentTokenLocation()) + ": more than one YAML document; keep one per file");
            }
            return new YamlDocument(source, root);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + line(at);
            String why = e.getOriginalMessage().lines().findFirst().orElse("not valid YAML");
            // SnakeYAML knows where the problem is (a tab on the next line); Jackson's location is the last good token
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                where = ":" + (m.getProblemMark().getLine() + 1);
                why = m.getProblem() == null ? why : m.getProblem().lines().findFirst().orElse(why);
            }
            throw new ScenarioException(source + where + ": not valid YAML (" + why + ")", e);
        } catch (IOException e) {
            throw new ScenarioException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** "20s", "250ms", "5m", "-6h", "1d" as a Duration; empty when the text is not one. */
    public static java.util.Optional<java.time.Duration> parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(-?\\d+)(ms|s|m|h|d)").matcher(text.trim());
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return java.util.Optional.of(switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        });
    }

    public Node root() {
        return root;
    }

    public String source() {
        return source;
    }

    private static int line(JsonLocation l) {
        return l == null ? 0 : l.getLineNr();
    }

    private static Node read(JsonParser p, String source, String path) throws IOException {
        int line = line(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line(p.currentTokenLocation());
                if (fields.containsKey(key)) {
                    throw new ScenarioException(source + ":" + keyLine + ": " + join(path, key)
                            + ": appears twice in the same mapping; keep one");
                }
                p.nextToken();
                fields.put(key, read(p, source, join(path, key)));
            }
            return new Node(source, path, line, null, Collections.unmodifiableMap(fields), null);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p, source, path + "[" + items.size() + "]"));
            }
            return new Node(source, path, line, null, null, List.copyOf(items));
        }
        if (t == JsonToken.VALUE_NULL) {
            return new Node(source, path, line, null, null, null);
        }
        return new Node(source, path, line, p.getText(), null, null);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * One value and where it is. Getters throw {@link ScenarioException} naming file, line and field.
     * A null scalar, mapping and list together mean YAML null ({@code key:} with nothing after it).
     */
    public static final class Node {
        private final String source;
        private final String path;
        private final int line;
        private final String scalar;
        private final Map<String, Node> fields;
        private final List<Node> items;

        private Node(String source, String path, int line, String scalar, Map<String, Node> fields, List<Node> items) {
            this.source = source;
            this.path = path;
            this.line = line;
            this.scalar = scalar;
            this.fields = fields;
            this.items = items;
        }

        public String path() {
            return path;
        }

        public int line() {
            return line;
        }

        /** A user error at this value: {@code file:line: field: message}. */
        public ScenarioException error(String message) {
            return new ScenarioException(source + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        }

        public boolean isMapping() {
            return fields != null;
        }

        public boolean isList() {
            return items != null;
        }

        public boolean isScalar() {
            return scalar != null;
        }

        public boolean isNull() {
            return scalar == null && fields == null && items == null;
        }

        /** Fails on keys this mapping must not have, suggesting the allowed ones. */
        public Node requireKeys(Set<String> allowed) {
            for (Map.Entry<String, Node> e : mapping().entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw e.getValue().error("unknown field; allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
            return this;
        }

        public Map<String, Node> mapping() {
            if (fields == null) {
                throw error("expected a mapping (key: value lines), found " + kind());
            }
            return fields;
        }

        public List<Node> list() {
            if (items == null) {
                throw error("expected a list ([a, b] or '- a' lines), found " + kind());
            }
            return items;
        }

        /** A scalar as text. */
        public String text() {
            if (scalar == null) {
                throw error("expected a single value, found " + kind());
            }
            return scalar;
        }

        public boolean has(String key) {
            return mapping().containsKey(key);
        }

        /** The field's value; a missing field is an error at this mapping's line. */
        public Node get(String key) {
            Node n = mapping().get(key);
            if (n == null) {
                throw error("missing field '" + key + "'");
            }
            return n;
        }

        public java.util.Optional<Node> optional(String key) {
            return java.util.Optional.ofNullable(mapping().get(key)).filter(n -> !n.isNull());
        }

        public String string(String key) {
            return get(key).text();
        }

        public String string(String key, String fallback) {
            return optional(key).map(Node::text).orElse(fallback);
        }

        public boolean bool(String key, boolean fallback) {
            return optional(key).map(Node::bool).orElse(fallback);
        }

        public boolean bool() {
            String t = text();
            return switch (t) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw error("expected true or false, found '" + t + "'");
            };
        }

        public int integer(int min, int max) {
            String t = text();
            try {
                int v = Integer.parseInt(t);
                if (v < min || v > max) {
                    throw error(v + " is out of range; use " + min + ".." + max);
                }
                return v;
            } catch (NumberFormatException e) {
                throw error("expected a whole number " + min + ".." + max + ", found '" + t + "'");
            }
        }

        /** A share such as 0.4 or 40%. */
        public double share() {
            String t = text().trim();
            try {
                double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
                if (v < 0 || v > 1 || Double.isNaN(v)) {
                    throw error("a share must be between 0 and 1 (or 0% and 100%), found '" + t + "'");
                }
                return v;
            } catch (NumberFormatException e) {
                throw error("expected a share such as 0.4 or 40%, found '" + t + "'");
            }
        }

        /** A duration such as 20s, 5m, 2h, -6h or 1d. */
        public java.time.Duration duration() {
            String t = text().trim();
            return parseDuration(t).orElseThrow(() -> error("expected a duration such as 20s, 5m, -6h or 1d, found '" + t + "'"));
        }

        /** A list of scalars; a single scalar counts as a one-element list. */
        public List<String> strings() {
            if (isScalar()) {
                return List.of(scalar);
            }
            List<String> out = new ArrayList<>();
            for (Node n : list()) {
                out.add(n.text());
            }
            return out;
        }

        private String kind() {
            if (fields != null) {
                return "a mapping";
            }
            if (items != null) {
                return "a list";
            }
            return scalar == null ? "nothing" : "'" + scalar + "'";
        }
    }
}
