package org.mitmlab.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Opens one TLS handshake and keeps the chain the other end presented, whatever it is: like
 * {@code openssl s_client}, it judges nothing (the detectors do). Either straight to an address or
 * through an explicit proxy ({@code CONNECT host:443}, then TLS inside the tunnel). Blocking, on the
 * caller's thread, every step bounded by the timeout; each handshake gets a fresh SSLContext so no
 * session is resumed (a resumed session would show the chain of an earlier connection).
 */
public final class ChainFetcher {
    private static final int MAX_PROXY_RESPONSE = 16 * 1024;
    private static final TrustManager[] ACCEPT_AND_KEEP = {new AcceptAnything()};

    private final Duration timeout;

    public ChainFetcher(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** What one handshake produced: the chain (leaf first), or why there is none. */
    public record Fetched(List<X509Certificate> chain, String failure) {
        public Fetched {
            chain = List.copyOf(chain);
        }

        static Fetched failed(String failure) {
            return new Fetched(List.of(), failure);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    /** TLS straight to {@code address}, sending {@code sni} (none when null). */
    public Fetched direct(InetSocketAddress address, String sni) {
        try (Socket socket = connect(address)) {
            return handshake(socket, address.getHostString(), address.getPort(), sni);
        } catch (IOException e) {
            return Fetched.failed(describe(e, address.getAddress().getHostAddress() + ":" + address.getPort()));
        }
    }

    /** {@code CONNECT host:443} through the explicit proxy at {@code proxy}, then TLS sending {@code sni} (none when null). */
    public Fetched viaProxy(InetSocketAddress proxy, String connectHost, String sni) {
        String where = "proxy " + proxy.getAddress().getHostAddress() + ":" + proxy.getPort();
        try (Socket socket = connect(proxy)) {
            OutputStream out = socket.getOutputStream();
            out.write(("CONNECT " + connectHost + ":443 HTTP/1.1\r\nHost: " + connectHost + ":443\r\nUser-Agent: mitmlab-detect\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            String statusLine = head.lines().findFirst().orElse("");
            if (!statusLine.matches("HTTP/1\\.[01] 200.*")) {
                String reason = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-mitmlab-refused:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(statusLine);
                return Fetched.failed("the " + where + " refused CONNECT " + connectHost + ":443: " + reason);
            }
            return handshake(socket, connectHost, 443, sni);
        } catch (IOException e) {
            return Fetched.failed(describe(e, where));
        }
    }

    private Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, millis());
            socket.setSoTimeout(millis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Fetched handshake(Socket socket, String peerHost, int peerPort, String sni) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, ACCEPT_AND_KEEP, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK", e);
        }
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, peerHost, peerPort, false)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            parameters.setEndpointIdentificationAlgorithm(null);
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(millis());
            tls.startHandshake();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : tls.getSession().getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
            return new Fetched(chain, null);
        } catch (SSLException e) {
            return Fetched.failed("TLS handshake failed: " + e.getMessage());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the proxy closed the connection before answering CONNECT");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_PROXY_RESPONSE) {
                throw new IOException("the proxy's answer to CONNECT is longer than " + MAX_PROXY_RESPONSE + " bytes");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private int millis() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private String describe(IOException e, String where) {
        if (e instanceof ConnectException) {
            return "nothing listens at " + where + " (" + e.getMessage() + ")";
        }
        if (e instanceof SocketTimeoutException) {
            return where + " did not answer within " + timeout.toSeconds() + " s";
        }
        return where + ": " + e.getMessage();
    }

    /** Accepts every chain; the chain is read from the session afterwards and judged by the detectors. */
    private static final class AcceptAnything extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
