package org.mitmlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mitmlab.dashboard.EventsFollower;
import org.mitmlab.dashboard.FlowRow;
import org.mitmlab.dashboard.FlowRows;
import org.mitmlab.dashboard.WatchView;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.PhaseChanged;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mitmlab watch}: the flows of a lab as a live colour table in the terminal, read from its
 * {@code events.jsonl} the way {@code tail -F} reads a log (it survives the file's rotation), so it
 * works with any lab that writes that file, in this terminal or another.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Follow the lab's flows in a live colour table: who connected where, what the proxy decided, "
                + "and the requests it read (like 'tail -F' on events.jsonl; Ctrl-C stops).")
public final class WatchCommand implements Callable<Integer> {
    static final int DEFAULT_LINES = 20;

    @Spec
    private CommandSpec spec;

    @Mixin
    private StateDirOption stateDir;

    @Option(names = "--events", paramLabel = "FILE", description = "Follow this events file instead of the state directory's events.jsonl.")
    private Path eventsFile;

    @Option(names = "--docker", description = "Follow the Docker lab's box (STATE/docker/box-events/events.jsonl, whichever router hosts it).")
    private boolean docker;

    @Option(names = "--once", description = "Print the flows recorded so far and exit.")
    private boolean once;

    @Option(names = {"-n", "--lines"}, paramLabel = "N",
            description = "Show the last N flows recorded before it started. Default: all with --once, " + DEFAULT_LINES + " otherwise")
    private Integer lines;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "auto, always or never. auto: colours on a terminal unless NO_COLOR is set. Default: ${DEFAULT-VALUE}")
    private String color;

    @Option(names = "--width", paramLabel = "COLUMNS", description = "Width of the table. Default: the terminal's ($COLUMNS or stty), else 120")
    private Integer width;

    @Option(names = "--poll-millis", paramLabel = "MS", defaultValue = "250", hidden = true,
            description = "How often the file is checked for new lines.")
    private long pollMillis;

    @Override
    public Integer call() {
        Path file = eventsFile != null ? eventsFile
                : docker ? org.mitmlab.lab.docker.DockerLab.boxEvents(stateDir.stateDir()) : stateDir.stateDir().events();
        if (lines != null && lines < 0) {
            throw UserError.of("--lines " + lines + " is negative: use 0 or more");
        }
        if (pollMillis < 10 || pollMillis > 10_000) {
            throw UserError.of("--poll-millis must be 10..10000");
        }
        if (once && !Files.exists(file)) {
            throw UserError.of("no events file at " + file + ": start a lab with 'mitmlab up' (same --state-dir), "
                    + "or name the file with --events");
        }
        PrintWriter out = spec.commandLine().getOut();
        WatchView view = new WatchView(out, colours(), columns(), ZoneId.systemDefault());
        FlowRows fold = new FlowRows();
        try (EventsFollower follower = new EventsFollower(file, new EventJson())) {
            // What is there already: fold it all (a row needs its flow's earlier events), show the newest rows.
            Map<String, FlowRow> past = new LinkedHashMap<>();
            PhaseChanged lastPhase = null;
            while (true) {
                List<FlowEvent> events = follower.poll();
                for (FlowEvent e : events) {
                    if (e instanceof PhaseChanged p) {
                        lastPhase = p;
                    }
                    for (FlowRow r : fold.accept(e)) {
                        past.put(r.id(), r);
                    }
                }
                if (events.isEmpty() && !follower.hasMore()) {
                    break;
                }
            }
            List<FlowRow> rows = new ArrayList<>(past.values());
            if (!once) {
                rows.removeIf(FlowRow::pending); // printed once they are settled
            }
            int show = lines != null ? lines : once ? rows.size() : DEFAULT_LINES;
            view.header();
            for (int i = 0; i < rows.size(); i++) {
                FlowRow r = rows.get(i);
                if (i < rows.size() - show) {
                    view.skip(r.id());
                } else {
                    view.print(r, once);
                }
            }
            if (lastPhase != null) {
                view.note(phaseLine(lastPhase));
            }
            if (follower.skippedLines() > 0) {
                view.note(follower.skippedLines() + " lines of " + file + " were not flow events and were skipped");
            }
            if (once) {
                view.note(String.format(Locale.ROOT, "%d %s in %s", rows.size(), rows.size() == 1 ? "row" : "rows", file));
                return ExitCodes.OK;
            }
            view.note(Files.exists(file) ? "following " + file + " (Ctrl-C stops)"
                    : "waiting for " + file + " (start a lab with 'mitmlab up', same --state-dir)");
            // A "closed without a request" row waits one poll: the proxy records a client's rejection just after the close.
            Map<String, FlowRow> held = new LinkedHashMap<>();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(pollMillis);
                Map<String, FlowRow> batch = new LinkedHashMap<>();
                for (FlowEvent e : follower.poll()) {
                    if (e instanceof PhaseChanged p) {
                        view.note(phaseLine(p));
                    }
                    for (FlowRow r : fold.accept(e)) {
                        batch.put(r.id(), r);
                    }
                }
                for (FlowRow r : held.values()) {
                    if (!batch.containsKey(r.id())) {
                        view.print(r, false);
                    }
                }
                held.clear();
                for (FlowRow r : batch.values()) {
                    if (FlowRow.NO_REQUEST.equals(r.outcome())) {
                        held.put(r.id(), r);
                    } else {
                        view.print(r, false);
                    }
                }
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        }
    }

    private boolean colours() {
        return switch (color.toLowerCase(Locale.ROOT)) {
            case "always" -> true;
            case "never" -> false;
            case "auto" -> System.console() != null && System.getenv("NO_COLOR") == null;
            default -> throw UserError.of("--color " + color + ": use auto, always or never");
        };
    }

    private int columns() {
        if (width != null) {
            return width;
        }
        String env = System.getenv("COLUMNS");
        try {
            if (env != null) {
                return Integer.parseInt(env.trim());
            }
        } catch (NumberFormatException e) {
            // fall through to the terminal's own answer
        }
        return System.console() != null ? terminalColumns().orElse(120) : 120;
    }

    /** The width of the terminal, asked of stty (shells rarely export COLUMNS to programs). */
    private static java.util.OptionalInt terminalColumns() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return java.util.OptionalInt.empty();
            }
            String[] rowsAndColumns = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                    .trim().split("\\s+");
            return rowsAndColumns.length == 2 ? java.util.OptionalInt.of(Integer.parseInt(rowsAndColumns[1]))
                    : java.util.OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    /** The scenario's timeline in the flow list: "-- 2019-07-26 pause: interception OFF (A pause of about 4 days.)". */
    static String phaseLine(PhaseChanged p) {
        return "-- " + (p.date() == null ? "" : p.date() + " ") + p.scenario() + " / " + p.phase() + ": interception "
                + (p.intercept() ? "ON" : "OFF") + (p.note().isEmpty() ? "" : " (" + p.note() + ")");
    }
}
