package org.mitmlab.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One plain-HTTP GET with a chosen Host header, for the lab's services (the CT log, the vantage
 * service) that live on the simulated Internet's plain-HTTP listener under lab names no resolver
 * knows. The JDK HttpClient cannot set Host, hence these few lines. Bounded: timeout on connect and
 * each read, at most 4 MiB.
 */
final class LabHttp {
    private static final int MAX_RESPONSE = 4 * 1024 * 1024;

    private LabHttp() {
    }

    /** Status and body of one response. */
    record Response(int status, String body) {
    }

    static Response get(InetSocketAddress address, String host, String pathAndQuery, Duration timeout) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(address, millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "User-Agent: mitmlab-detect\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] raw = readAll(socket.getInputStream());
            String text = new String(raw, StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd < 0 || !text.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response from " + host + " at " + address);
            }
            String head = text.substring(0, headEnd);
            String[] status = head.substring(0, head.indexOf("\r\n") < 0 ? head.length() : head.indexOf("\r\n")).split(" ", 3);
            int code;
            try {
                code = Integer.parseInt(status[1]);
            } catch (RuntimeException e) {
                throw new IOException("bad status line from " + host + ": " + status[0], e);
            }
            if (head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
                throw new IOException(host + " answered with a chunked body, which this client does not read");
            }
            return new Response(code, text.substring(headEnd + 4));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_RESPONSE) {
                throw new IOException("response longer than " + MAX_RESPONSE + " bytes");
            }
        }
        return out.toByteArray();
    }
}
