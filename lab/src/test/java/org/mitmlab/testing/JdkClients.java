package org.mitmlab.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK HttpClient as a lab user: a GET of a site's home page, and what a failure says all the way down. */
public final class JdkClients {
    private JdkClients() {
    }

    /** GET https://HOST/ and the status code. */
    public static int get(HttpClient client, String host, Duration timeout) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://" + host + "/")).timeout(timeout).GET().build();
        return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Every cause of {@code t}, one per line: where an SSLHandshakeException says why the chain was refused. */
    public static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }
}
