package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.cli.Main;
import org.mitmlab.event.Decision;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;

/** {@code mitmlab watch} through {@link Main#run}, on events files written by hand. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WatchCommandTest {
    @TempDir
    Path dir;

    private final EventJson json = new EventJson();
    private final TestEvents ev = new TestEvents();

    @Test
    void oncePrintsOneRowPerFlowAndExits() throws IOException {
        Path events = dir.resolve("events.jsonl");
        write(events, List.of(
                ev.opened("i1", "127.0.0.1:5000"), ev.decided("i1", "mail.ru", Decision.INTERCEPT), ev.forged("i1", "mail.ru"),
                ev.exchange("i1", "mail.ru", "POST", "/login", 200, Map.of("username", "alice", "password", "s3cret")),
                ev.opened("r1", "127.0.0.1:5001"), ev.decided("r1", "vk.com", Decision.INTERCEPT), ev.forged("r1", "vk.com"),
                ev.closed("r1", 2600), ev.rejected("r1", "vk.com", "127.0.0.1:5001"),
                ev.opened("p1", "127.0.0.1:5002"), ev.decided("p1", "halykbank.kz", Decision.PASS_THROUGH), ev.closed("p1", 5000),
                ev.opened("x1", "127.0.0.1:5003"), ev.refused("x1", "127.0.0.1:5003", "example.org:443")));

        Run run = run("watch", "--once", "--events", events.toString(), "--color", "never", "--width", "160");
        assertThat(run.code).as(run.err).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("CLIENT", "DOMAIN", "DECISION", "METHOD", "STATUS", "SIZE");
        assertThat(lines).filteredOn(l -> l.contains("mail.ru")).singleElement().satisfies(l -> assertThat(l)
                .contains("127.0.0.1:5000", "intercepted", "POST", "/login", "[form: password, username]", "200", "1.2 kB"));
        assertThat(lines).filteredOn(l -> l.contains("vk.com")).singleElement().satisfies(l -> assertThat(l)
                .contains("rejected", "client refused the forged certificate (unknown_ca)"));
        assertThat(lines).filteredOn(l -> l.contains("halykbank.kz")).singleElement().satisfies(l -> assertThat(l)
                .contains("passed through", "encrypted", "5.0 kB"));
        assertThat(lines).filteredOn(l -> l.contains("example.org")).singleElement().satisfies(l -> assertThat(l)
                .contains("refused", "outside the lab"));
        assertThat(run.out).contains("4 rows in " + events).doesNotContain("\u001b[");
    }

    @Test
    void coloursAreAnsiOnRequestAndControlCharactersFromClientsAreNeverPrinted() throws IOException {
        Path events = dir.resolve("events.jsonl");
        write(events, List.of(ev.decided("i1", "vk.com", Decision.INTERCEPT),
                ev.exchange("i1", "vk.com", "GET", "/\u001b[2J\u001b]0;pwned\u0007", 200, Map.of("password", "x"))));
        Run run = run("watch", "--once", "--events", events.toString(), "--color", "always");
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("\u001b[1;31mintercepted").as("form fields stand out").contains("\u001b[1;30;43m");
        assertThat(run.out).as("a path cannot clear the screen or retitle the terminal")
                .doesNotContain("\u001b[2J").doesNotContain("\u001b]0;").doesNotContain("\u0007");
    }

    @Test
    void followsNewFlowsAsTheyAreWrittenAcrossARotation() throws Exception {
        Path events = dir.resolve("events.jsonl");
        write(events, List.of(ev.decided("old", "vk.com", Decision.PASS_THROUGH)));
        StringWriter out = new StringWriter();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> watching = background.submit(() -> Main.run(new String[] {"watch", "--events", events.toString(),
                "--color", "never", "--poll-millis", "20"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
            awaitText(out, "following " + events);
            assertThat(out.toString()).contains("vk.com");
            append(events, List.of(ev.decided("new1", "ok.ru", Decision.INTERCEPT),
                    ev.exchange("new1", "ok.ru", "GET", "/feed", 200, Map.of())));
            awaitText(out, "/feed");
            Files.move(events, dir.resolve("events.1.jsonl"));
            write(events, List.of(ev.decided("new2", "halykbank.kz", Decision.PASS_THROUGH)));
            awaitText(out, "halykbank.kz");
            watching.cancel(true); // Ctrl-C
            assertThat(out.toString().lines().filter(l -> l.contains("ok.ru")).count()).as("each row once").isEqualTo(1);
        } finally {
            background.shutdownNow();
            assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).as("watch stops when interrupted").isTrue();
        }
    }

    @Test
    void onceWithoutAnEventsFileIsAUserError() {
        Run run = run("watch", "--once", "--state-dir", dir.resolve("nothing").toString());
        assertThat(run.code).isEqualTo(3);
        assertThat(run.err).contains("no events file").contains("mitmlab up");
    }

    // ---------------------------------------------------------------- helpers

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private void write(Path file, List<FlowEvent> events) throws IOException {
        Files.deleteIfExists(file);
        append(file, events);
    }

    private void append(Path file, List<FlowEvent> events) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (FlowEvent e : events) {
            sb.append(json.toJson(e)).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void awaitText(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("watch did not print '" + text + "' within 10 s; it printed:\n" + out);
            }
            Thread.sleep(20);
        }
    }
}
