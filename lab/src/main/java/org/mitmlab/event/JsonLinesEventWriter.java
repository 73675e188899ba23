package org.mitmlab.event;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events as JSON lines to a file, on its own thread: {@link #emit} only enqueues, so the
 * proxy's event loops never wait for the disk. The file is rotated at a size cap
 * ({@code events.jsonl} to {@code events.1.jsonl} ...), keeping a fixed number of old files, so a
 * lab left running for days cannot fill the disk.
 */
public final class JsonLinesEventWriter implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesEventWriter.class);
    private static final String POISON = "";

    private final Path file;
    private final long maxBytes;
    private final int keepRotated;
    private final EventJson json;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    public JsonLinesEventWriter(Path file, long maxBytes, int keepRotated, EventJson json) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keepRotated = keepRotated;
        this.json = json;
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        this.thread = new Thread(this::run, "mitmlab-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void emit(FlowEvent event) {
        if (closing) {
            return;
        }
        String line = json.toJson(event);
        if (!queue.offer(line)) {
            // Only when the disk cannot keep up with 100k queued events; counted and reported at close.
            dropped.incrementAndGet();
        }
    }

    public Path file() {
        return file;
    }

    private void run() {
        BufferedWriter out = null;
        long size = 0;
        List<String> batch = new ArrayList<>();
        try {
            out = open();
            size = Files.size(file);
            while (true) {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, 1000);
                boolean stop = false;
                for (String line : batch) {
                    if (line == POISON) {
                        stop = true;
                        break;
                    }
                    int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
                    if (size > 0 && size + bytes > maxBytes) {
                        out.close();
                        rotate();
                        out = open();
                        size = 0;
                    }
                    out.write(line);
                    out.write('\n');
                    size += bytes;
                }
                out.flush();
                if (stop) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.error("Cannot write events to {}: {}", file, e.getMessage());
        } finally {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    log.warn("Closing {} failed: {}", file, e.getMessage());
                }
            }
        }
    }

    private BufferedWriter open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void rotate() throws IOException {
        String base = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        Files.deleteIfExists(file.resolveSibling(base + "." + keepRotated + ".jsonl"));
        for (int i = keepRotated - 1; i >= 1; i--) {
            Path from = file.resolveSibling(base + "." + i + ".jsonl");
            if (Files.exists(from)) {
                Files.move(from, file.resolveSibling(base + "." + (i + 1) + ".jsonl"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(base + ".1.jsonl"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        closing = true;
        try {
            queue.put(POISON);
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped.get() > 0) {
            log.warn("{} events were not written to {}: the disk could not keep up", dropped.get(), file);
        }
    }
}
