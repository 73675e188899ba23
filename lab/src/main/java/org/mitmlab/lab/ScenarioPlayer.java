package org.mitmlab.lab;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mitmlab.event.EventSink;
import org.mitmlab.event.LabStarted;
import org.mitmlab.event.PhaseChanged;
import org.mitmlab.scenario.Timeline;
import org.mitmlab.scenario.Timeline.Phase;

/**
 * Plays a scenario's timeline (or holds one phase) and answers the one question the box asks on
 * every ClientHello: is interception switched on right now? Each phase change becomes a
 * {@link PhaseChanged} event, so the dashboard, watch and graders see the same history.
 * Used by the embedded lab and by {@code mitmlab proxy} in the Docker lab's box.
 */
public final class ScenarioPlayer implements AutoCloseable {
    private final String scenario;
    private final Timeline timeline;
    private final EventSink sink;
    private final Clock clock;
    private final Consumer<String> progress;
    private final ScheduledExecutorService scheduler;
    private volatile Phase current;

    private ScenarioPlayer(String scenario, Timeline timeline, EventSink sink, Clock clock, Consumer<String> progress,
            ScheduledExecutorService scheduler) {
        this.scenario = scenario;
        this.timeline = timeline;
        this.sink = sink;
        this.clock = clock;
        this.progress = progress;
        this.scheduler = scheduler;
    }

    /**
     * Enters the first phase now and schedules the others; with {@code hold}, stays in that phase.
     *
     * @param progress receives one line per phase change (the {@code up} command prints them)
     */
    public static ScenarioPlayer start(String scenario, Timeline timeline, Optional<String> hold, EventSink sink, Clock clock,
            Consumer<String> progress) {
        ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mitmlab-timeline");
            t.setDaemon(true);
            return t;
        });
        ScenarioPlayer player = new ScenarioPlayer(scenario, timeline, sink, clock, progress, scheduler);
        if (hold.isPresent() || !timeline.hasHistory()) {
            String name = hold.orElse(timeline.steady());
            player.enter(timeline.phase(name).orElseThrow(() -> new IllegalArgumentException(
                    "no phase '" + name + "' in " + scenario)), false);
        } else {
            player.enter(timeline.phases().get(0), true);
            for (Phase p : timeline.phases().subList(1, timeline.phases().size())) {
                scheduler.schedule(() -> player.enter(p, true), timeline.startOf(p).toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return player;
    }

    /** The lab's first event: which scenario, which variant, which root. */
    public static LabStarted started(Clock clock, String scenario, String student, String mode, String rootSpki, boolean played) {
        return new LabStarted(LabStarted.FLOW, clock.instant(), scenario, student, mode, rootSpki, played);
    }

    private void enter(Phase p, boolean announce) {
        current = p;
        sink.emit(new PhaseChanged(LabStarted.FLOW, clock.instant(), scenario, p.name(), p.date(), p.intercept(), p.note()));
        if (announce) {
            progress.accept("[" + scenario + "] " + (p.date() == null ? "" : p.date() + " ") + p.name() + ": "
                    + (p.intercept() ? "interception ON" : "interception OFF") + (p.note().isEmpty() ? "" : " - " + p.note()));
        }
    }

    /** True while the current phase intercepts. */
    public boolean intercepting() {
        return current.intercept();
    }

    public Phase currentPhase() {
        return current;
    }

    /** How long the whole timeline takes to play. */
    public Duration length() {
        return timeline.startOf(timeline.phases().get(timeline.phases().size() - 1));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
