package org.mitmlab.event;

import java.util.List;

/** Receives flow events. Implementations must not block the caller (often a Netty event loop). */
@FunctionalInterface
public interface EventSink {
    void emit(FlowEvent event);

    /** Discards everything. */
    /** Discards everything; the proxy then skips the work of building what nobody records (HTTP taps). */
    EventSink NONE = event -> { };

    static EventSink none() {
        return NONE;
    }

    /** Sends each event to every sink in order. */
    static EventSink fanOut(List<EventSink> sinks) {
        List<EventSink> copy = List.copyOf(sinks);
        return event -> {
            for (EventSink s : copy) {
                s.emit(event);
            }
        };
    }
}
