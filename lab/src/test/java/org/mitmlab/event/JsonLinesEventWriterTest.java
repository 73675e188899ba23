package org.mitmlab.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The events file: one JSON object per line, written off the caller's thread, rotated at a size cap. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonLinesEventWriterTest {
    private static final EventJson JSON = new EventJson();
    private static final Instant T = Instant.parse("2019-07-18T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void writesOneParseableLinePerEventInOrder() throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<FlowEvent> sent = new ArrayList<>();
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 20, 3, JSON)) {
            assertThat(w.file()).isEqualTo(file);
            for (int i = 0; i < 50; i++) {
                FlowEvent e = i % 2 == 0 ? new ConnectionOpened("f" + i, T, "127.0.0.1:" + (40000 + i), "127.0.0.1:8080")
                        : new ConnectionClosed("f" + i, T, i, 2L * i, i / 3.0);
                sent.add(e);
                w.emit(e);
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(50);
        assertThat(lines.stream().map(JSON::fromJson).toList()).containsExactlyElementsOf(sent);
    }

    @Test
    void createsMissingDirectoriesAndTheFile() throws Exception {
        Path file = dir.resolve("a/b/events.jsonl");
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 20, 3, JSON)) {
            assertThat(file).exists();
        }
        assertThat(file).isEmptyFile();
    }

    @Test
    void appendsToAnExistingFile() throws Exception {
        Path file = dir.resolve("events.jsonl");
        FlowEvent old = new Refused("old", T, "c", "d", "r");
        Files.writeString(file, JSON.toJson(old) + "\n");
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 20, 3, JSON)) {
            w.emit(new Refused("new", T, "c", "d", "r"));
        }
        assertThat(Files.readAllLines(file).stream().map(JSON::fromJson).map(FlowEvent::flowId)).containsExactly("old", "new");
    }

    @Test
    void closeFlushesEverythingQueued() throws Exception {
        Path file = dir.resolve("events.jsonl");
        int n = 20_000;
        JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 30, 3, JSON);
        for (int i = 0; i < n; i++) {
            w.emit(new ConnectionFailed("f" + i, T, "relay", "message " + i));
        }
        w.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(n);
        assertThat(JSON.fromJson(lines.get(n - 1)).flowId()).isEqualTo("f" + (n - 1));
    }

    @Test
    void eventsFromManyThreadsAreAllWrittenAsWholeLines() throws Exception {
        Path file = dir.resolve("events.jsonl");
        int threads = 8;
        int each = 2_000;
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 30, 3, JSON)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        w.emit(new ConnectionClosed("t" + id + "-" + i, T, i, i, 0.5));
                    }
                });
                th.start();
                ts.add(th);
            }
            start.countDown();
            for (Thread th : ts) {
                th.join(30_000);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * each);
        assertThat(lines.stream().map(JSON::fromJson).map(FlowEvent::flowId).distinct().count()).isEqualTo(threads * each);
    }

    @Test
    void rotatesAtTheCapKeepingNFiles() throws Exception {
        Path file = dir.resolve("events.jsonl");
        long cap = 2_000;
        int keep = 2;
        int n = 200;
        List<String> expected = new ArrayList<>();
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, cap, keep, JSON)) {
            for (int i = 0; i < n; i++) {
                FlowEvent e = new ConnectionFailed(String.format("f%04d", i), T, "relay", "x".repeat(60));
                expected.add(JSON.toJson(e));
                w.emit(e);
            }
        }
        assertThat(file).exists();
        assertThat(dir.resolve("events.1.jsonl")).exists();
        assertThat(dir.resolve("events.2.jsonl")).exists();
        assertThat(dir.resolve("events.3.jsonl")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("events.jsonl", "events.1.jsonl", "events.2.jsonl");
        }
        for (String name : List.of("events.jsonl", "events.1.jsonl", "events.2.jsonl")) {
            assertThat(Files.size(dir.resolve(name))).as(name).isLessThanOrEqualTo(cap);
        }
        for (String name : List.of("events.1.jsonl", "events.2.jsonl")) {
            assertThat(Files.size(dir.resolve(name))).as("%s is filled close to the cap", name)
                    .isGreaterThan(cap - expected.get(0).length() - 2);
        }
        // oldest kept file first: together they are the newest events, contiguous, ending with the last one
        List<String> kept = new ArrayList<>();
        kept.addAll(Files.readAllLines(dir.resolve("events.2.jsonl")));
        kept.addAll(Files.readAllLines(dir.resolve("events.1.jsonl")));
        kept.addAll(Files.readAllLines(file));
        assertThat(kept).isNotEmpty().containsExactlyElementsOf(expected.subList(n - kept.size(), n));
    }

    @Test
    void capHoldsForNonAsciiText() throws Exception {
        Path file = dir.resolve("events.jsonl");
        long cap = 2_000;
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, cap, 2, JSON)) {
            for (int i = 0; i < 100; i++) {
                // Kazakh Cyrillic: two UTF-8 bytes per character
                w.emit(new ConnectionFailed("f" + i, T, "relay", "Қазақстан қауіпсіздік сертификаты".repeat(1 + i % 7)));
            }
        }
        for (String name : List.of("events.jsonl", "events.1.jsonl", "events.2.jsonl")) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                assertThat(Files.size(p)).as("%s must stay within the %d-byte cap", name, cap).isLessThanOrEqualTo(cap);
            }
        }
    }

    @Test
    void aLineLargerThanTheCapIsStillWritten() throws Exception {
        Path file = dir.resolve("events.jsonl");
        FlowEvent big = new ConnectionFailed("big", T, "relay", "y".repeat(5_000));
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1_000, 2, JSON)) {
            w.emit(big);
        }
        assertThat(Files.readAllLines(file)).containsExactly(JSON.toJson(big));
    }

    @Test
    void emitAfterCloseIsIgnoredAndCloseIsIdempotent() throws Exception {
        Path file = dir.resolve("events.jsonl");
        JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 20, 3, JSON);
        w.emit(new Refused("before", T, "c", "d", "r"));
        w.close();
        w.emit(new Refused("after", T, "c", "d", "r"));
        w.close();
        assertThat(Files.readAllLines(file).stream().map(JSON::fromJson).map(FlowEvent::flowId)).containsExactly("before");
    }

    @Test
    void emitDoesNotWaitForTheDisk() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesEventWriter w = new JsonLinesEventWriter(file, 1L << 30, 3, JSON)) {
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                w.emit(new ConnectionClosed("f" + i, T, 1, 2, 3));
            }
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        }
    }
}
