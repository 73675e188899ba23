package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.mitmlab.event.ConnectionOpened;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.testing.Curl;

/**
 * One embedded lab for an integration test class, and the clients a student would point at its
 * proxy: curl (explicit proxy or TLS straight in), a JDK TLS client tunnelled through a CONNECT
 * written by hand (so the test knows its local port and can find its flow's events), raw sockets
 * for bad input, and openssl. Everything talks to 127.0.0.1 only and every wait is bounded.
 */
final class ProxyLabSupport implements AutoCloseable {
    /** How long a test waits for an event it expects. */
    static final Duration EVENT_WAIT = Duration.ofSeconds(5);
    /** Socket connect and read timeout of the hand-written clients. */
    static final int SOCKET_TIMEOUT_MILLIS = 10_000;
    /** The issuer of every forged leaf; openssl prints it as {@code C = KZ, CN = Security Certificate}. */
    static final X500Principal FORGED_ISSUER = new X500Principal("CN=Security Certificate, C=KZ");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[\\s\\S]*?-----END CERTIFICATE-----");

    final EmbeddedLab lab;
    final StateDir state;
    final Path work;
    final List<X509Certificate> rootsWithNational;
    final List<X509Certificate> publicRoots;

    private ProxyLabSupport(EmbeddedLab lab, StateDir state, Path work) {
        this.lab = lab;
        this.state = state;
        this.work = work;
        this.rootsWithNational = PemFiles.readCertificates(state.rootsWithNational());
        this.publicRoots = PemFiles.readCertificates(state.publicRoots());
    }

    /** Starts a lab on an ephemeral proxy port with its state under {@code tempDir}. */
    static ProxyLabSupport start(Path tempDir) throws InterruptedException {
        return start(tempDir, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #start(Path)}, with the default config changed by {@code configure} (e.g. the key log on). */
    static ProxyLabSupport start(Path tempDir, java.util.function.UnaryOperator<LabConfig> configure) throws InterruptedException {
        StateDir state = new StateDir(tempDir.resolve("state"));
        Path work;
        try {
            work = Files.createDirectories(tempDir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedLab lab = EmbeddedLab.start(configure.apply(LabConfig.defaults(state).withProxyPort(0)), Clock.systemUTC(),
                new SecureRandom(), msg -> { }, false);
        assertThat(lab.proxyAddress().getAddress().isLoopbackAddress())
                .as("the test lab's proxy listens on loopback only").isTrue();
        return new ProxyLabSupport(lab, state, work);
    }

    @Override
    public void close() {
        lab.close();
    }

    int proxyPort() {
        return lab.proxyAddress().getPort();
    }

    String proxyUrl() {
        return "http://127.0.0.1:" + proxyPort();
    }

    /** The genuine certificate chain the origin serves for {@code name} (leaf first), from the state directory. */
    List<X509Certificate> genuineChain(String name) {
        return PemFiles.readCertificates(state.sites().resolve(name + ".pem"));
    }

    X509Certificate genuineLeaf(String name) {
        return genuineChain(name).get(0);
    }

    String service(String name) {
        return lab.config().catalogue().site(name).orElseThrow().service();
    }

    /** The service name as the origin's HTML writes it (escaped). */
    String serviceAsHtml(String name) {
        return service(name).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---------------------------------------------------------------- curl

    /**
     * curl using the lab's proxy explicitly. {@code Curl} always passes {@code --noproxy *}, which
     * would silently disable {@code --proxy}; {@code --noproxy ""} given later re-enables it. As a
     * safety net every name is also pinned to 127.0.0.1, so that even a curl that ignored the proxy
     * could not leave the machine.
     */
    Curl.Result curlViaProxy(Path trust, List<String> names, String... args) {
        Curl curl = Curl.in(work);
        for (String name : names) {
            curl.resolve(name, new InetSocketAddress(LOOPBACK, 443));
            curl.resolve(name, new InetSocketAddress(LOOPBACK, 80));
        }
        if (trust != null) {
            curl.caCert(trust);
        }
        List<String> all = new ArrayList<>(List.of("--noproxy", "", "--proxy", proxyUrl()));
        all.addAll(Arrays.asList(args));
        return curl.fetch(all.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- events

    /** A position in the lab's event log: events emitted after it are "new". */
    int mark() {
        return lab.events().snapshot().size();
    }

    List<FlowEvent> since(int mark) {
        List<FlowEvent> all = lab.events().snapshot();
        assertThat(all.size()).as("the in-memory event log never wrapped during the test").isGreaterThanOrEqualTo(mark);
        return all.subList(mark, all.size());
    }

    <T extends FlowEvent> List<T> since(int mark, Class<T> type, Predicate<? super T> filter) {
        return since(mark).stream().filter(type::isInstance).map(type::cast).filter(filter).collect(Collectors.toList());
    }

    List<FlowEvent> flow(String flowId) {
        return lab.events().snapshot().stream().filter(e -> e.flowId().equals(flowId)).collect(Collectors.toList());
    }

    /** Polls (bounded by {@link #EVENT_WAIT}) for the newest event after {@code mark} that matches. */
    <T extends FlowEvent> T await(int mark, Class<T> type, Predicate<? super T> filter, String what) {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            List<T> found = since(mark, type, filter);
            if (!found.isEmpty()) {
                return found.get(found.size() - 1);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + type.getSimpleName() + " event (" + what + ") within "
                        + EVENT_WAIT.toSeconds() + " s; events since the test began:\n" + describe(since(mark)));
            }
            sleep(20);
        }
    }

    /** Waits for an event of {@code type} in flow {@code flowId}. */
    <T extends FlowEvent> T awaitInFlow(String flowId, Class<T> type, Predicate<? super T> filter, String what) {
        return await(0, type, e -> e.flowId().equals(flowId) && filter.test(e), what + " in flow " + flowId);
    }

    /** The flow id of the connection the proxy accepted from {@code 127.0.0.1:localPort} (the newest one). */
    String flowOf(int localPort) {
        String client = "127.0.0.1:" + localPort;
        return await(0, ConnectionOpened.class, e -> e.client().equals(client), "connection from " + client).flowId();
    }

    /** The events after {@code mark}, one line each, for assertion messages (after a short settle). */
    String eventsSince(int mark) {
        sleep(200);
        return describe(since(mark));
    }

    static String describe(List<? extends FlowEvent> events) {
        List<? extends FlowEvent> tail = events.size() > 40 ? events.subList(events.size() - 40, events.size()) : events;
        return tail.stream().map(ProxyLabSupport::brief).map(e -> "  " + e).collect(Collectors.joining("\n"));
    }

    /** One event on one line, without the PEM blocks of CertificateForged. */
    static String brief(FlowEvent e) {
        String s = e.toString().replaceAll("-----BEGIN CERTIFICATE-----[\\s\\S]*?-----END CERTIFICATE-----\\s*", "<pem>");
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    // ---------------------------------------------------------------- hand-written clients

    static Socket openRaw(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, SOCKET_TIMEOUT_MILLIS);
        s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return s;
    }

    Socket openRawToProxy() throws IOException {
        return openRaw(lab.proxyAddress());
    }

    /** An HTTP response head (and body, when it has a Content-Length) read off a raw socket. */
    record RawResponse(int status, String head, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Reads one HTTP/1.1 response head, and its body when it announces a Content-Length. */
    static RawResponse readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) {
                throw new IOException("response head longer than 64 KiB");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body = "";
        String length = headers.get("content-length");
        if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        }
        return new RawResponse(status, text, headers, body);
    }

    /** Sends {@code CONNECT authority} on a new socket and reads the proxy's answer; the socket is left open. */
    record Tunnel(Socket socket, RawResponse response) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    Tunnel connect(String authority) throws IOException {
        Socket s = openRawToProxy();
        try {
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: mitmlab-test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new Tunnel(s, readResponse(s.getInputStream()));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** What a JDK TLS client saw for one name: the presented chain, or the handshake failure. */
    record Handshake(String name, int localPort, List<X509Certificate> chain, String protocol, Exception failure) {
        X509Certificate leaf() {
            assertThat(chain).as("%s: the TLS handshake succeeded (failure: %s)", name, failure).isNotEmpty();
            return chain.get(0);
        }
    }

    static SSLContext clientContext(List<X509Certificate> trust) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, TlsContexts.trustManagers(trust).getTrustManagers(), new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * CONNECT name:443 through the proxy, then a JDK TLS handshake inside the tunnel with SNI
     * {@code name}, trusting exactly {@code trust} and checking the host name as a browser does.
     */
    Handshake handshakeThroughProxy(String name, SSLContext ssl) throws IOException {
        Tunnel tunnel = connect(name + ":443");
        try {
            assertThat(tunnel.response().status()).as("CONNECT %s:443 is accepted: %s", name, tunnel.response().head())
                    .isEqualTo(200);
            SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(tunnel.socket(), name, 443, true);
            return handshake(name, tunnel.socket().getLocalPort(), tls, name);
        } finally {
            tunnel.close();
        }
    }

    /** A JDK TLS handshake sent straight to the proxy port (no CONNECT); {@code sni} null sends none. */
    Handshake handshakeStraightIn(String sni, SSLContext ssl) throws IOException {
        Socket raw = openRawToProxy();
        try {
            SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(raw, "127.0.0.1", proxyPort(), true);
            return handshake(sni, raw.getLocalPort(), tls, sni);
        } finally {
            raw.close();
        }
    }

    private static Handshake handshake(String name, int localPort, SSLSocket tls, String sni) throws IOException {
        try (tls) {
            SSLParameters p = tls.getSSLParameters();
            List<SNIServerName> names = sni == null ? List.of() : List.of(new SNIHostName(sni));
            p.setServerNames(names);
            if (sni != null) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            tls.setSSLParameters(p);
            tls.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                return new Handshake(name, localPort, List.of(), null, e);
            }
            List<X509Certificate> chain = Arrays.stream(tls.getSession().getPeerCertificates())
                    .map(X509Certificate.class::cast).collect(Collectors.toList());
            return new Handshake(name, localPort, chain, tls.getSession().getProtocol(), null);
        }
    }

    // ---------------------------------------------------------------- certificates

    /** True when {@code chain} (leaf first, no root) validates against exactly {@code anchors}. */
    static boolean chainsTo(List<X509Certificate> chain, List<X509Certificate> anchors) {
        try {
            Set<TrustAnchor> trust = new HashSet<>();
            for (X509Certificate a : anchors) {
                trust.add(new TrustAnchor(a, null));
            }
            PKIXParameters params = new PKIXParameters(trust);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static List<X509Certificate> certificatesIn(String text) {
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            out.addAll(PemFiles.parseCertificates(m.group()));
        }
        return out;
    }

    static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when both lists hold the same certificates, byte for byte, in the same order. */
    static boolean sameDer(List<X509Certificate> a, List<X509Certificate> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(der(a.get(i)), der(b.get(i)))) {
                return false;
            }
        }
        return true;
    }

    static String sha256Hex(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- processes

    /** The outcome of an external command (openssl). */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    static boolean isInstalled(String program, String... versionArgs) {
        List<String> cmd = new ArrayList<>(List.of(program));
        cmd.addAll(List.of(versionArgs));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command with stdin at end-of-file (openssl s_client then leaves after the handshake), bounded. */
    Run run(List<String> command, Duration timeout) {
        try {
            Path dir = Files.createTempDirectory(work, "run");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("did not finish within " + timeout.toSeconds() + " s: " + command);
            }
            return new Run(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- parallelism

    /** Applies {@code task} to every name on a small pool, each bounded; results in input order. */
    static <R> Map<String, R> forEachName(List<String> names, int threads, Duration eachTimeout, NameTask<R> task)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Map<String, Future<R>> futures = new LinkedHashMap<>();
            for (String name : names) {
                futures.put(name, pool.submit(() -> task.apply(name)));
            }
            Map<String, R> results = new LinkedHashMap<>();
            long deadline = System.nanoTime() + eachTimeout.toNanos() * (names.size() / threads + 1);
            for (Map.Entry<String, Future<R>> f : futures.entrySet()) {
                long left = Math.max(1, deadline - System.nanoTime());
                try {
                    results.put(f.getKey(), f.getValue().get(left, TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError(f.getKey() + ": " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError(f.getKey() + ": no result in time");
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    interface NameTask<R> {
        R apply(String name) throws Exception;
    }

    static <K, V> Map<K, V> failures(Map<K, V> results, Predicate<V> failed) {
        return results.entrySet().stream().filter(e -> failed.test(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
