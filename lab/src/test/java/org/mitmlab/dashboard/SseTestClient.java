package org.mitmlab.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A plain-socket reader of {@code /api/stream}: sends the GET, decodes the chunked body and splits
 * it into SSE messages. Every read is bounded by a socket timeout, so a test waits at most as long as
 * it says.
 */
final class SseTestClient implements AutoCloseable {
    /** One SSE message: its event name (null for comments) and data. */
    record Message(String event, String id, String data) {
        JsonNode json() {
            try {
                return DashboardLab.JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final StringBuilder text = new StringBuilder();
    final String head;
    final List<Message> received = new ArrayList<>();

    private SseTestClient(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.head = head;
    }

    static SseTestClient open(int port, String pathAndQuery, String lastEventId) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(s.getInputStream());
        return new SseTestClient(s, head);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the response head ended: " + b);
            }
            b.write(c);
            String s = b.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
    }

    /** Reads messages until one matches, for at most {@code wait}; empty when none came. */
    Optional<Message> awaitMessage(Predicate<Message> match, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Message m : received) {
            if (match.test(m)) {
                return Optional.of(m);
            }
        }
        while (System.nanoTime() - deadline < 0) {
            int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout(left);
            try {
                readChunk();
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            int end;
            while ((end = text.indexOf("\n\n")) >= 0) {
                Message m = parse(text.substring(0, end));
                text.delete(0, end + 2);
                received.add(m);
                if (match.test(m)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    private void readChunk() throws IOException {
        String sizeLine = readLine();
        int size = Integer.parseInt(sizeLine.trim().split(";")[0], 16);
        if (size == 0) {
            throw new IOException("the stream ended");
        }
        byte[] data = in.readNBytes(size);
        readLine();
        text.append(new String(data, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the stream closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static Message parse(String block) {
        String event = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
        return new Message(event, id, data.toString());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
