package org.mitmlab.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.EventSink;
import org.mitmlab.event.FlowEvent;

/**
 * The dashboard's side of the lab's event fan-out. Each event gets a sequence number, is folded into
 * {@link FlowRow}s, and becomes one Server-Sent Events message that is kept in a short history and
 * offered to every subscriber:
 *
 * <pre>
 * id: 42
 * event: flow
 * data: {"seq":42,"event":{...the flow event, as in events.jsonl...},"rows":[...rows it made or changed...]}
 * </pre>
 *
 * {@link #emit} runs on the proxy's event loops, so it never waits: it takes one short lock (to keep
 * numbering, folding and subscribing in one order) and only offers to subscribers, which queue
 * (bounded) and write on their own channel's event loop. {@link #subscribe} replays the history after
 * a given sequence number under the same lock, so a new page misses nothing and sees nothing twice.
 */
public final class EventHub implements EventSink {
    /** Messages kept for pages that connect later (or reconnect with Last-Event-ID). */
    public static final int DEFAULT_HISTORY = 2_000;

    private final EventJson json;
    private final int historySize;
    private final FlowRows rows = new FlowRows();
    private final Deque<Message> history = new ArrayDeque<>();
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final String instance = java.util.UUID.randomUUID().toString();
    private long seq;

    /** One SSE message: its number and its complete text (ending in a blank line). */
    public record Message(long seq, String text) {
    }

    /** Receives messages; must not block (see {@link SseHandler}). */
    public interface Subscriber {
        void offer(Message message);
    }

    public EventHub(EventJson json) {
        this(json, DEFAULT_HISTORY);
    }

    public EventHub(EventJson json, int historySize) {
        if (historySize < 1) {
            throw new IllegalArgumentException("history must hold at least one message");
        }
        this.json = json;
        this.historySize = historySize;
    }

    @Override
    public void emit(FlowEvent event) {
        String eventJson = json.toJson(event); // outside the lock: the costly part
        synchronized (this) {
            long n = ++seq;
            List<FlowRow> changed = rows.accept(event);
            Message m = new Message(n, "id: " + n + "\nevent: flow\ndata: {\"seq\":" + n + ",\"event\":" + eventJson
                    + ",\"rows\":" + rowsJson(changed) + "}\n\n");
            if (history.size() == historySize) {
                history.removeFirst();
            }
            history.addLast(m);
            for (Subscriber s : subscribers) {
                s.offer(m);
            }
        }
    }

    /**
     * Offers {@code subscriber} the kept messages numbered above {@code afterSeq} (at most the last
     * {@code backlog} of them), then every new one, until {@link #unsubscribe}.
     */
    public synchronized void subscribe(Subscriber subscriber, long afterSeq, int backlog) {
        List<Message> replay = new ArrayList<>();
        for (Message m : history) {
            if (m.seq() > afterSeq) {
                replay.add(m);
            }
        }
        for (Message m : replay.subList(Math.max(0, replay.size() - backlog), replay.size())) {
            subscriber.offer(m);
        }
        subscribers.add(subscriber);
    }

    public void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /**
     * Names this hub (so this run of the lab): a page that reconnects to a restarted lab sees a new
     * instance, forgets the old rows and takes the new history from its start.
     */
    public String instance() {
        return instance;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** The number of the newest message (0 before the first event). */
    public synchronized long lastSeq() {
        return seq;
    }

    private String rowsJson(List<FlowRow> changed) {
        try {
            return json.mapper().writeValueAsString(changed);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
