package org.mitmlab.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.mitmlab.trust.BrowserTrust;
import org.mitmlab.trust.SpkiBlocklist;

/**
 * A small population of users browsing the lab through the proxy with the JDK HttpClient: some
 * installed the national root (their trust store = public roots + national root), some refused
 * (public roots only). Each user visits each name once. Bounded: one request per (user, name),
 * a 10 s timeout each, at most 8 in flight.
 */
public final class SimulatedPopulation {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InetSocketAddress proxy;
    private final List<X509Certificate> publicRoots;
    private final X509Certificate nationalRoot;
    private final SpkiBlocklist browserBlock;

    public SimulatedPopulation(InetSocketAddress proxy, List<X509Certificate> publicRoots, X509Certificate nationalRoot) {
        this(proxy, publicRoots, nationalRoot, SpkiBlocklist.empty());
    }

    /** @param browserBlock keys the users' browsers refuse even when installed (the blocklist scenario) */
    public SimulatedPopulation(InetSocketAddress proxy, List<X509Certificate> publicRoots, X509Certificate nationalRoot,
            SpkiBlocklist browserBlock) {
        this.browserBlock = browserBlock;
        this.proxy = proxy;
        this.publicRoots = List.copyOf(publicRoots);
        this.nationalRoot = nationalRoot;
    }

    /** What one user saw for one name. */
    public record Visit(int user, boolean installedRoot, String host, Outcome outcome, int status, String issuer) {
    }

    public enum Outcome {
        /** The page loaded. */
        PAGE,
        /** The TLS handshake failed on the certificate: what a user who refused the root sees. */
        CERTIFICATE_ERROR,
        /** Anything else (timeout, refused, reset). */
        ERROR
    }

    public List<Visit> run(int installed, int refused, List<String> hosts) throws InterruptedException {
        List<X509Certificate> withNational = new ArrayList<>(publicRoots);
        withNational.add(nationalRoot);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Visit>> futures = new ArrayList<>();
            for (int u = 0; u < installed + refused; u++) {
                boolean hasRoot = u < installed;
                HttpClient client = client(hasRoot ? withNational : publicRoots);
                final int user = u;
                for (String host : hosts) {
                    futures.add(pool.submit(() -> visit(client, user, hasRoot, host)));
                }
            }
            List<Visit> visits = new ArrayList<>();
            for (Future<Visit> f : futures) {
                try {
                    visits.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a simulated user failed unexpectedly", e.getCause());
                }
            }
            return visits;
        } finally {
            pool.shutdownNow();
        }
    }

    private Visit visit(HttpClient client, int user, boolean hasRoot, String host) {
        return send(client, user, hasRoot, host, HttpRequest.newBuilder(URI.create("https://" + host + "/")).timeout(TIMEOUT).GET().build());
    }

    /** One request as a user sees it: the page (with the issuer of what it was shown), a certificate error, or another error. */
    private static Visit send(HttpClient client, int user, boolean hasRoot, String host, HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            String issuer = r.sslSession()
                    .map(s -> {
                        try {
                            return ((X509Certificate) s.getPeerCertificates()[0]).getIssuerX500Principal().getName();
                        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                            return "?";
                        }
                    }).orElse("?");
            return new Visit(user, hasRoot, host, Outcome.PAGE, r.statusCode(), issuer);
        } catch (SSLHandshakeException e) {
            return new Visit(user, hasRoot, host, Outcome.CERTIFICATE_ERROR, 0, null);
        } catch (IOException e) {
            return new Visit(user, hasRoot, host, Outcome.ERROR, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Visit(user, hasRoot, host, Outcome.ERROR, 0, "interrupted");
        }
    }

    /**
     * A user who installed the root signs in to {@code host}'s login form: the box reads the form,
     * which is what the first-contact exercise asks students to find.
     */
    public Visit login(String host, String username, String password) {
        List<X509Certificate> withNational = new ArrayList<>(publicRoots);
        withNational.add(nationalRoot);
        HttpClient client = client(withNational);
        String form = "username=" + java.net.URLEncoder.encode(username, java.nio.charset.StandardCharsets.UTF_8)
                + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + "/login")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return send(client, -1, true, host, request);
    }

    private HttpClient client(List<X509Certificate> trusted) {
        SSLContext ssl = BrowserTrust.sslContext(trusted, browserBlock);
        return HttpClient.newBuilder().proxy(ProxySelector.of(proxy)).sslContext(ssl)
                .connectTimeout(TIMEOUT).build(); // its own executor: ours is busy blocking in send()
    }
}
