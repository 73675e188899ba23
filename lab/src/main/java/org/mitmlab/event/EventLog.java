package org.mitmlab.event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The most recent events in memory (bounded), for the demo table, tests and the dashboard's
 * first page. Thread-safe.
 */
public final class EventLog implements EventSink {
    private final int capacity;
    private final Deque<FlowEvent> events = new ArrayDeque<>();

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized void emit(FlowEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    public synchronized List<FlowEvent> snapshot() {
        return new ArrayList<>(events);
    }

    public <T extends FlowEvent> List<T> ofType(Class<T> type) {
        return ofType(type, e -> true);
    }

    public <T extends FlowEvent> List<T> ofType(Class<T> type, Predicate<T> filter) {
        List<T> out = new ArrayList<>();
        for (FlowEvent e : snapshot()) {
            if (type.isInstance(e) && filter.test(type.cast(e))) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    public synchronized void clear() {
        events.clear();
    }
}
