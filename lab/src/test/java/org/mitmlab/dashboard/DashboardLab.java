package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.pki.PemFiles;

/**
 * An embedded lab with its dashboard on a free port, and the two kinds of users of 2019 as JDK
 * HttpClients behind its proxy: one who installed the national root and one who refused it. Talks to
 * 127.0.0.1 only; every request and wait is bounded.
 */
final class DashboardLab implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    final EmbeddedLab lab;
    final StateDir state;
    final DashboardServer dashboard;
    private final HttpClient installedRoot;
    private final HttpClient refusedRoot;
    private final HttpClient direct;

    private DashboardLab(EmbeddedLab lab, StateDir state) {
        this.lab = lab;
        this.state = state;
        this.dashboard = lab.dashboard().orElseThrow();
        List<X509Certificate> publicRoots = PemFiles.readCertificates(state.publicRoots());
        List<X509Certificate> withNational = PemFiles.readCertificates(state.rootsWithNational());
        this.installedRoot = client(withNational);
        this.refusedRoot = client(publicRoots);
        this.direct = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(TIMEOUT).build();
    }

    /** Starts a lab (proxy and dashboard on free loopback ports) with its state under {@code dir}. */
    static DashboardLab start(Path dir) throws InterruptedException {
        StateDir state = new StateDir(dir);
        EmbeddedLab lab = EmbeddedLab.start(LabConfig.defaults(state).withProxyPort(0).withDashboardPort(0), Clock.systemUTC(),
                new SecureRandom(), message -> { }, false);
        assertThat(lab.dashboard()).as("the lab runs a dashboard").isPresent();
        assertThat(lab.dashboard().get().address().getAddress().isLoopbackAddress())
                .as("the dashboard listens on loopback only").isTrue();
        return new DashboardLab(lab, state);
    }

    private HttpClient client(List<X509Certificate> trusted) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, TlsContexts.trustManagers(trusted).getTrustManagers(), new SecureRandom());
            InetSocketAddress proxy = lab.proxyAddress();
            return HttpClient.newBuilder().proxy(ProxySelector.of(proxy)).sslContext(ssl).connectTimeout(TIMEOUT).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String dashboardUrl(String path) {
        return "http://127.0.0.1:" + dashboard.address().getPort() + path;
    }

    // ---------------------------------------------------------------- traffic through the proxy

    /** A user who installed the national root opens https://host/path; returns the status. */
    int visit(String host, String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://" + host + path)).timeout(TIMEOUT).GET().build();
        return installedRoot.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The same user signs in on host's login form. */
    int login(String host, String user, String password) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://" + host + "/login")).timeout(TIMEOUT)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password)).build();
        return installedRoot.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A user who refused the root opens https://host/; true when the handshake failed on the certificate. */
    boolean visitRefusingRoot(String host) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://" + host + "/")).timeout(TIMEOUT).GET().build();
        try {
            refusedRoot.send(r, HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (SSLHandshakeException e) {
            return true;
        }
    }

    /** The same user asks for a name outside the lab; true when the proxy refused (no connection anywhere). */
    boolean visitOutsideLab(String host) throws InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://" + host + "/")).timeout(TIMEOUT).GET().build();
        try {
            installedRoot.send(r, HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    // ---------------------------------------------------------------- the dashboard

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(dashboardUrl(path))).timeout(TIMEOUT).GET().build();
        return direct.send(r, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).as("GET %s content type", path)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    // ---------------------------------------------------------------- events

    /** Waits (bounded) for the newest event of {@code type} that matches. */
    <T extends FlowEvent> T await(Class<T> type, Predicate<? super T> filter, String what) {
        return awaitValue(() -> {
            List<T> found = lab.events().ofType(type, filter::test);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }, what);
    }

    /** Polls {@code probe} every 20 ms until it has a value, for at most {@link #TIMEOUT}. */
    static <T> T awaitValue(Supplier<Optional<T>> probe, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + TIMEOUT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        lab.close(); // the JDK 17 HttpClient has no close(); its idle connections end with the lab
    }
}
