package org.mitmlab.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NSS key log ({@code SSLKEYLOGFILE} format: {@code LABEL <client_random> <secret>} per line)
 * that Wireshark and tshark read to decrypt a capture. The file is owner-only (0600) because its
 * lines decrypt every session they name, and it is rotated at a size cap ({@code keys.log} to
 * {@code keys.1.log} ...) like {@code events.jsonl}.
 *
 * <p>Lines are written synchronously, from the event loop that runs the handshake: a line is on
 * disk before the first encrypted record of its session is sent, so a capture is decryptable the
 * moment it stops. A TLS 1.3 handshake writes five lines of about 160 bytes.
 */
public final class KeyLogFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyLogFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final long maxBytes;
    private final int keepRotated;
    private FileChannel out;
    private long size;
    private boolean failed;

    /** Opens (or appends to) {@code file}; at {@code maxBytes} it is rotated, keeping {@code keepRotated} old files. */
    public KeyLogFile(Path file, long maxBytes, int keepRotated) {
        if (maxBytes < 1024 || keepRotated < 0) {
            throw new IllegalArgumentException("key log cap must be >= 1024 bytes and keepRotated >= 0");
        }
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.keepRotated = keepRotated;
        try {
            this.out = open();
            this.size = out.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the TLS key log " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one key log line as given by the TLS library (no trailing newline). */
    public synchronized void write(byte[] line) {
        if (out == null || failed) {
            return;
        }
        try {
            long bytes = line.length + 1L;
            if (size > 0 && size + bytes > maxBytes) {
                out.close();
                rotate();
                out = open();
                size = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            size += bytes;
        } catch (IOException e) {
            failed = true; // one warning, not one per handshake
            log.warn("Cannot write the TLS key log {}: {}; no more keys are logged", file, e.getMessage());
        }
    }

    private FileChannel open() throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), attrs);
        if (posix) {
            Files.setPosixFilePermissions(file, OWNER_ONLY); // an older file may have been created with other modes
        }
        return ch;
    }

    private void rotate() throws IOException {
        String base = file.getFileName().toString().replaceFirst("\\.log$", "");
        if (keepRotated == 0) {
            Files.delete(file);
            return;
        }
        Files.deleteIfExists(file.resolveSibling(base + "." + keepRotated + ".log"));
        for (int i = keepRotated - 1; i >= 1; i--) {
            Path from = file.resolveSibling(base + "." + i + ".log");
            if (Files.exists(from)) {
                Files.move(from, file.resolveSibling(base + "." + (i + 1) + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(base + ".1.log"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", file, e.getMessage());
            }
            out = null;
        }
    }
}
