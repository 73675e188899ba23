package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mitmlab.event.Decision;
import org.mitmlab.event.EventJson;

/**
 * A page's event stream on an {@link EmbeddedChannel}, whose event loop runs only when the test says
 * so: that is a page that reads too slowly. The hub must not wait for it, and must not queue for it
 * without bound.
 */
class SseHandlerTest {
    private final TestEvents ev = new TestEvents();

    @Test
    void slowPageLosesMessagesBeyondItsQueueAndIsToldHowMany() {
        EventHub hub = new EventHub(new EventJson(), 100);
        SseHandler handler = new SseHandler(hub, 0, 100, 3);
        EmbeddedChannel page = new EmbeddedChannel(handler);
        for (int i = 0; i < 5; i++) {
            hub.emit(ev.decided("f" + i, "vk.com", Decision.INTERCEPT)); // from the "proxy" thread: never blocks
        }
        assertThat(handler.dropped()).as("two messages did not fit a queue of three").isEqualTo(2);

        page.runPendingTasks(); // the page's event loop gets its turn
        List<String> written = drain(page);
        assertThat(written.get(0)).as("first, how many were skipped").startsWith("event: dropped\n").contains("\"dropped\":2");
        assertThat(written.subList(1, written.size())).hasSize(3).allSatisfy(m -> assertThat(m).startsWith("id: ").contains("event: flow"));
        assertThat(written.get(1)).as("the oldest messages are the ones kept").contains("\"flowId\":\"f0\"");

        hub.emit(ev.decided("f9", "vk.com", Decision.PASS_THROUGH));
        page.runPendingTasks();
        assertThat(drain(page)).singleElement().satisfies(m -> assertThat(m).contains("\"flowId\":\"f9\""));

        page.close();
        assertThat(hub.subscriberCount()).as("a closed page is forgotten").isZero();
    }

    @Test
    void newPageGetsTheHistoryThenLiveMessagesWithoutGapsOrRepeats() {
        EventHub hub = new EventHub(new EventJson(), 3);
        for (int i = 1; i <= 5; i++) {
            hub.emit(ev.decided("f" + i, "vk.com", Decision.INTERCEPT));
        }
        EmbeddedChannel page = new EmbeddedChannel(new SseHandler(hub, 3, 100, 100));
        hub.emit(ev.decided("f6", "vk.com", Decision.INTERCEPT));
        page.runPendingTasks();
        List<String> ids = new ArrayList<>();
        for (String m : drain(page)) {
            ids.add(m.substring("id: ".length(), m.indexOf('\n')));
        }
        assertThat(ids).as("after Last-Event-ID 3: the kept 4 and 5, then the live 6").containsExactly("4", "5", "6");
        page.close();
    }

    @Test
    void eachMessageCarriesTheEventAndTheRowsItChanged() {
        EventHub hub = new EventHub(new EventJson(), 10);
        EmbeddedChannel page = new EmbeddedChannel(new SseHandler(hub, 0, 10, 10));
        hub.emit(ev.opened("f1", "127.0.0.1:5000"));
        hub.emit(ev.decided("f1", "halykbank.kz", Decision.PASS_THROUGH));
        page.runPendingTasks();
        List<String> messages = drain(page);
        assertThat(messages.get(0)).contains("\"type\":\"connection-opened\"").contains("\"rows\":[]");
        assertThat(messages.get(1)).contains("\"type\":\"decision\"").contains("\"domain\":\"halykbank.kz\"")
                .contains("\"decision\":\"pass-through\"").contains("\"client\":\"127.0.0.1:5000\"");
        assertThat(messages).allSatisfy(m -> assertThat(m).endsWith("\n\n"));
        page.close();
    }

    private static List<String> drain(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            HttpContent c = (HttpContent) o;
            try {
                out.add(c.content().toString(StandardCharsets.UTF_8));
            } finally {
                c.release();
            }
        }
        return out;
    }
}
