package org.mitmlab.exercise;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.PhaseChanged;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.scenario.ScenarioException;

/**
 * The lab-level events of one student's events file: what grading reads. Per-connection events are
 * dropped while reading, because a lab left running for a week writes many megabytes of them.
 *
 * @param source  the file, for reasons
 * @param events  lab-started, phase-changed and vantage-queried events, in file order
 * @param skipped lines that were not flow events (a truncated last line, a hand edit)
 */
public record StudentEvents(Path source, List<FlowEvent> events, int skipped) {
    private static final EventJson JSON = new EventJson();

    public StudentEvents {
        events = List.copyOf(events);
    }

    /** Reads an events file, skipping (and counting) lines that do not parse. */
    public static StudentEvents read(Path file) {
        return read(List.of(file));
    }

    /**
     * Reads a student's events files in order (the embedded lab writes one; the Docker lab one for the
     * box and one for the vantage container). A file's events before its first lab-started line (the
     * vantage container's, which has none) are marked as belonging to no lab run.
     */
    public static StudentEvents read(List<Path> files) {
        List<FlowEvent> kept = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            kept.add(FILE_START);
            skipped += readInto(file, kept);
        }
        return new StudentEvents(files.isEmpty() ? Path.of(".") : files.get(0), kept, skipped);
    }

    /** Marks where a file begins in {@link #events}: lab runs never span files. */
    private static final FlowEvent FILE_START = new PhaseChanged("file-start", java.time.Instant.EPOCH, "", "", null, false, "");

    private static int readInto(Path file, List<FlowEvent> kept) {
        int skipped = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    FlowEvent e = JSON.fromJson(line);
                    if (e instanceof LabStarted || e instanceof PhaseChanged || e instanceof VantageQueried) {
                        kept.add(e);
                    }
                } catch (IllegalArgumentException e) {
                    skipped++;
                }
            }
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read the events file (" + e.getMessage() + ")", e);
        }
        return skipped;
    }

    /**
     * The events of this student's runs of {@code scenario}: an events file keeps every run of the lab
     * (a student may run kz-2019, then hunt, then hunt again), so only the runs whose lab-started line
     * names this scenario and student count, plus events that belong to no run (the vantage container's).
     */
    public StudentEvents forLab(String scenario, String student) {
        List<FlowEvent> out = new ArrayList<>();
        boolean inMatchingRun = true; // events before a file's first lab-started belong to no run
        for (FlowEvent e : events) {
            if (e == FILE_START) {
                inMatchingRun = true;
            } else if (e instanceof LabStarted s) {
                inMatchingRun = matches(s, scenario, student);
                if (inMatchingRun) {
                    out.add(e);
                }
            } else if (inMatchingRun) {
                out.add(e);
            }
        }
        return new StudentEvents(source, out, skipped);
    }

    private static boolean matches(LabStarted s, String scenario, String student) {
        return scenario.equals(s.scenario()) && s.student() != null && s.student().strip().equalsIgnoreCase(student);
    }

    /** The first lab-started event: which scenario and student the file belongs to. */
    public Optional<LabStarted> labStarted() {
        return events.stream().filter(LabStarted.class::isInstance).map(LabStarted.class::cast).findFirst();
    }

    /** The vantage queries (call on {@link #forLab} to keep those of the student's runs). */
    public List<VantageQueried> vantageQueries() {
        return events.stream().filter(VantageQueried.class::isInstance).map(VantageQueried.class::cast).toList();
    }

    /** Why this file cannot be evidence for {@code student} on {@code scenario}, if it cannot. */
    public Optional<String> ownershipProblem(String scenario, String student) {
        List<LabStarted> runs = events.stream().filter(LabStarted.class::isInstance).map(LabStarted.class::cast).toList();
        if (runs.isEmpty()) {
            return Optional.of(source + " has no lab-started line: it was not written by a lab started with --student");
        }
        if (runs.stream().anyMatch(r -> matches(r, scenario, student))) {
            return Optional.empty();
        }
        LabStarted s = runs.get(runs.size() - 1);
        if (s.student() == null || !s.student().strip().equalsIgnoreCase(student)) {
            return Optional.of(source + " was written by the lab of " + s.student() + ", not " + student);
        }
        if (!scenario.equals(s.scenario())) {
            return Optional.of(source + " was written by a lab running scenario " + s.scenario() + ", not " + scenario);
        }
        return Optional.empty();
    }

    /** "; 2 unreadable lines of FILE skipped", or nothing. */
    String skippedNote() {
        return skipped == 0 ? "" : "; " + skipped + " unreadable line" + (skipped == 1 ? "" : "s") + " of " + source + " skipped";
    }
}
