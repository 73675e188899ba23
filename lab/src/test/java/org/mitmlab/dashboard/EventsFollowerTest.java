package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.Decision;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.JsonLinesEventWriter;

/** {@code tail -F} semantics on events.jsonl: appends, half-written lines, rotation, truncation, a file that comes later. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventsFollowerTest {
    @TempDir
    Path dir;

    private final EventJson json = new EventJson();
    private final TestEvents ev = new TestEvents();

    @Test
    void readsAppendedLinesOnlyOnceTheyAreWhole() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (EventsFollower follower = new EventsFollower(file, json)) {
            assertThat(follower.poll()).as("no file yet: nothing, no error").isEmpty();
            append(file, json.toJson(ev.opened("a", "127.0.0.1:1")) + "\n");
            assertThat(flowIds(follower.poll())).containsExactly("a");
            String line = json.toJson(ev.opened("b", "127.0.0.1:2"));
            append(file, line.substring(0, 20));
            assertThat(follower.poll()).as("half a line is not an event yet").isEmpty();
            append(file, line.substring(20) + "\nnot json\n");
            assertThat(flowIds(follower.poll())).containsExactly("b");
            assertThat(follower.skippedLines()).isEqualTo(1);
        }
    }

    @Test
    void followsTheFileAcrossRotationWithoutLosingTheOldFilesTail() throws IOException {
        Path file = dir.resolve("events.jsonl");
        append(file, json.toJson(ev.opened("a", "127.0.0.1:1")) + "\n");
        try (EventsFollower follower = new EventsFollower(file, json)) {
            assertThat(flowIds(follower.poll())).containsExactly("a");
            append(file, json.toJson(ev.opened("b", "127.0.0.1:2")) + "\n"); // written just before the rotation
            Files.move(file, dir.resolve("events.1.jsonl"));
            assertThat(flowIds(follower.poll())).as("the tail of the rotated file, new file not there yet").containsExactly("b");
            append(file, json.toJson(ev.opened("c", "127.0.0.1:3")) + "\n");
            assertThat(flowIds(follower.poll())).as("then the new file from its start").containsExactly("c");
        }
    }

    @Test
    void fileTruncatedInPlaceIsReadAgainFromItsStart() throws IOException {
        Path file = dir.resolve("events.jsonl");
        append(file, json.toJson(ev.opened("a", "127.0.0.1:1")) + "\n" + json.toJson(ev.opened("b", "127.0.0.1:2")) + "\n");
        try (EventsFollower follower = new EventsFollower(file, json)) {
            assertThat(flowIds(follower.poll())).containsExactly("a", "b");
            Files.writeString(file, json.toJson(ev.opened("c", "127.0.0.1:3")) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            assertThat(flowIds(follower.poll())).containsExactly("c");
        }
    }

    @Test
    void seesEveryEventOfTheRealWriterOnceAndInOrderWhileItRotates() throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<String> seen = new ArrayList<>();
        try (EventsFollower follower = new EventsFollower(file, json)) {
            try (JsonLinesEventWriter writer = new JsonLinesEventWriter(file, 4_000, 50, json)) {
                for (int i = 0; i < 120; i++) {
                    writer.emit(ev.decided("flow-" + i, "vk.com", Decision.INTERCEPT));
                    if (i % 7 == 0) {
                        Thread.sleep(5);
                        seen.addAll(flowIds(follower.poll()));
                    }
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 120 && System.nanoTime() < deadline) {
                seen.addAll(flowIds(follower.poll()));
                Thread.sleep(10);
            }
        }
        assertThat(Files.exists(dir.resolve("events.1.jsonl"))).as("the writer rotated during the test").isTrue();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            expected.add("flow-" + i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(EventsFiles.chronological(file)).as("rotated files, oldest first, then the live one")
                .endsWith(dir.resolve("events.1.jsonl"), file);
        List<String> reread = flowIds(EventsFiles.read(EventsFiles.chronological(file), json, e -> true).events());
        assertThat(reread).as("reading the rotated files back gives the same events").isEqualTo(expected);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> flowIds(List<FlowEvent> events) {
        List<String> out = new ArrayList<>();
        for (FlowEvent e : events) {
            out.add(e.flowId());
        }
        return out;
    }
}
