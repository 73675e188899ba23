package org.mitmlab.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.mitmlab.domains.HostNames;
import org.mitmlab.pki.PemFiles;

/**
 * The lab's vantage point "abroad", as a probe server of a measurement project: asked for a host,
 * it makes its own TLS handshake straight to the site (never through the interceptor) and returns
 * the chain it was shown, verifying nothing. Where it connects comes from a {@link SiteAddresses}:
 * the embedded lab serves it on the simulated Internet's plain-HTTP listener as {@value #HOST} and
 * connects to that one listener; the Docker lab's {@code vantage} container serves it with
 * {@link VantageServer} and connects to each site's own address from the lab's hosts file.
 *
 * <pre>
 * GET /vantage?host=vk.com
 * 200 {"host": "vk.com", "sni": "vk.com", "observedFrom": "...", "chain": ["-----BEGIN CERTIFICATE-----...", ...], "error": null}
 * 400 {"error": "..."}   not a lab name;   503 when busy
 * </pre>
 * At most two handshakes at a time and 64 waiting; each bounded by the fetcher's timeout.
 */
public final class VantageService implements AutoCloseable {
    public static final String HOST = "vantage.lab";
    public static final String PATH = "/vantage";

    private final ChainFetcher fetcher;
    private final String name;
    private final SiteAddresses sites;
    private final ThreadPoolExecutor workers;
    private final ObjectMapper json = new ObjectMapper();
    private final BiConsumer<String, String> observed;

    /**
     * @param internet   the simulated Internet's HTTPS listener: what the vantage point reaches directly
     * @param mayObserve the names it answers for (the lab's sites)
     */
    public VantageService(InetSocketAddress internet, Predicate<String> mayObserve, Duration timeout) {
        this(internet, mayObserve, timeout, (host, outcome) -> { });
    }

    /**
     * @param observed told of every host observed and the outcome ("ok" or the failure): the lab
     *                 records it, as evidence that a student ran the outside comparison
     */
    public VantageService(InetSocketAddress internet, Predicate<String> mayObserve, Duration timeout,
            BiConsumer<String, String> observed) {
        this(HOST, SiteAddresses.oneListener(internet, mayObserve), timeout, observed);
    }

    /**
     * @param name     how the vantage point names itself in its answers ("vantage.lab")
     * @param sites    where it connects for each name; a name without an address is refused
     * @param observed told of every host observed and the outcome ("ok" or the failure)
     */
    public VantageService(String name, SiteAddresses sites, Duration timeout, BiConsumer<String, String> observed) {
        this.name = Objects.requireNonNull(name, "name");
        this.sites = Objects.requireNonNull(sites, "sites");
        this.observed = Objects.requireNonNull(observed, "observed");
        this.fetcher = new ChainFetcher(timeout);
        this.workers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "mitmlab-vantage");
            t.setDaemon(true);
            return t;
        });
        workers.allowCoreThreadTimeOut(true);
    }

    /** An answer: HTTP status and JSON body. */
    public record Reply(int status, String contentType, byte[] body) {
    }

    public CompletableFuture<Reply> handle(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (!path.equals(PATH) || !method.equals("GET")) {
            return CompletableFuture.completedFuture(error(404, "ask GET " + PATH + "?host=NAME"));
        }
        Optional<String> host = Optional.ofNullable(q < 0 ? null : parameter(pathAndQuery.substring(q + 1), "host"))
                .flatMap(HostNames::normalize);
        if (host.isEmpty()) {
            return CompletableFuture.completedFuture(error(400, "host=NAME is missing or not a DNS name"));
        }
        Optional<InetSocketAddress> address = sites.addressOf(host.get());
        if (address.isEmpty()) {
            return CompletableFuture.completedFuture(error(400, host.get() + " is not a site of the simulated Internet"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> observe(host.get(), address.get()), workers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(error(503, "the vantage point is busy; try again"));
        }
    }

    private Reply observe(String host, InetSocketAddress address) {
        ChainFetcher.Fetched fetched = fetcher.direct(address, host);
        ObjectNode body = json.createObjectNode();
        body.put("host", host);
        body.put("sni", host);
        body.put("observedFrom", description());
        ArrayNode chain = body.putArray("chain");
        for (X509Certificate c : fetched.chain()) {
            chain.add(PemFiles.toPem(List.of(c)));
        }
        body.put("error", fetched.failure());
        observed.accept(host, fetched.failure() == null ? "ok" : fetched.failure());
        return new Reply(200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Where this vantage point stands, for reports. */
    public String description() {
        return name + ", " + sites.description();
    }

    private Reply error(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error", message);
        return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String parameter(String query, String key) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if ((eq < 0 ? pair : pair.substring(0, eq)).equals(key)) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
