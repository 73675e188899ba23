package org.mitmlab.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;

/**
 * {@code tail -F} for {@code events.jsonl}: each {@link #poll} returns the events appended since the
 * last one, in whole lines. When the writer rotates the file (renames it to {@code events.1.jsonl}
 * and starts a new one), the follower first reads what is left of the old file through the handle it
 * holds, then opens the new file from its start; a file that shrank in place is read again from the
 * start. A file that does not exist yet is waited for. Not thread-safe.
 */
public final class EventsFollower implements AutoCloseable {
    /** At most this much is read per poll, so one poll of a large file stays bounded in memory. */
    static final int MAX_BYTES_PER_POLL = 4 * 1024 * 1024;
    /** A longer line is not an event the writer made; it is skipped. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final Path file;
    private final EventJson json;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private boolean discardingLongLine;
    private long skippedLines;

    public EventsFollower(Path file, EventJson json) {
        this.file = file;
        this.json = json;
    }

    public Path file() {
        return file;
    }

    /** Lines skipped because they were not flow events. */
    public long skippedLines() {
        return skippedLines;
    }

    /** True when the file holds more than the polls have read so far (a poll reads a bounded amount). */
    public boolean hasMore() throws IOException {
        return channel != null && position < channel.size();
    }

    /** The events appended since the last poll (at most {@value #MAX_BYTES_PER_POLL} bytes of them). */
    public List<FlowEvent> poll() throws IOException {
        List<FlowEvent> out = new ArrayList<>();
        if (channel == null && !open()) {
            return out;
        }
        int budget = readInto(out, MAX_BYTES_PER_POLL);
        if (budget > 0) {
            BasicFileAttributes now = attributes();
            if (now == null) {
                return out; // rotated away and the new file is not there yet: keep the old handle
            }
            boolean replaced = now.fileKey() != null && !Objects.equals(now.fileKey(), fileKey);
            if (replaced) {
                channel.close();
                channel = null;
                if (open()) {
                    readInto(out, budget);
                }
            } else if (now.size() < position) {
                position = 0; // truncated in place
                partial.reset();
                discardingLongLine = false;
                readInto(out, budget);
            }
        }
        return out;
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        BasicFileAttributes a = attributes();
        fileKey = a == null ? null : a.fileKey();
        position = 0;
        partial.reset();
        discardingLongLine = false;
        return true;
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads to the end of the open file or until {@code budget} bytes; returns the budget left. */
    private int readInto(List<FlowEvent> out, int budget) throws IOException {
        while (budget > 0) {
            buffer.clear();
            buffer.limit(Math.min(buffer.capacity(), budget));
            int n = channel.read(buffer, position);
            if (n <= 0) {
                break;
            }
            position += n;
            budget -= n;
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    endLine(out);
                } else if (!discardingLongLine) {
                    partial.write(b);
                    if (partial.size() > MAX_LINE_BYTES) {
                        partial.reset();
                        discardingLongLine = true;
                    }
                }
            }
        }
        return budget;
    }

    private void endLine(List<FlowEvent> out) {
        if (discardingLongLine) {
            discardingLongLine = false;
            skippedLines++;
            return;
        }
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        if (line.isBlank()) {
            return;
        }
        FlowEvent e = EventsFiles.parse(json, line);
        if (e == null) {
            skippedLines++;
        } else {
            out.add(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
