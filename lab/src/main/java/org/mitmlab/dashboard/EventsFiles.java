package org.mitmlab.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;

/**
 * Reads recorded events back: {@code events.jsonl} and the files the writer rotated it into
 * ({@code events.1.jsonl} is the newest of those), oldest first. Lines that are not flow events (a
 * line cut short by a crash, a newer event type) are skipped and counted, never fatal.
 */
public final class EventsFiles {
    private EventsFiles() {
    }

    /** The events read, and how many lines were skipped. */
    public record Read(List<FlowEvent> events, int skippedLines) {
    }

    /** {@code file} and its rotated predecessors that exist, oldest first ({@code events.3.jsonl} ... {@code events.jsonl}). */
    public static List<Path> chronological(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        Pattern rotated = Pattern.compile(Pattern.quote(base) + "\\.(\\d+)\\.jsonl");
        Map<Integer, Path> older = new TreeMap<>(Comparator.reverseOrder());
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, base + ".*.jsonl")) {
                for (Path p : entries) {
                    Matcher m = rotated.matcher(p.getFileName().toString());
                    if (m.matches() && m.group(1).length() < 6) {
                        older.put(Integer.parseInt(m.group(1)), p);
                    }
                }
            }
        }
        List<Path> out = new ArrayList<>(older.values());
        if (Files.exists(file)) {
            out.add(file);
        }
        return out;
    }

    /** Every event in {@code files}, in order, that {@code keep} accepts. */
    public static Read read(List<Path> files, EventJson json, Predicate<? super FlowEvent> keep) throws IOException {
        List<FlowEvent> events = new ArrayList<>();
        int skipped = 0;
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    FlowEvent e = parse(json, line);
                    if (e == null) {
                        skipped++;
                    } else if (keep.test(e)) {
                        events.add(e);
                    }
                }
            }
        }
        return new Read(events, skipped);
    }

    /** One line as an event, or null when it is not one. */
    static FlowEvent parse(EventJson json, String line) {
        try {
            return json.fromJson(line);
        } catch (IllegalArgumentException notAnEvent) {
            return null;
        }
    }
}
