package org.mitmlab.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mitmlab.detect.ObservationPath;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.PkiException;

/**
 * The comparison path: how detect sees a host without crossing the path under test. Either a
 * vantage service ({@code GET URL?host=NAME}, the lab's {@link VantageService} by default, as a
 * measurement project's probe server abroad) or {@code --vantage DIRECT}: this process connects
 * straight to the simulated Internet itself.
 */
public interface Vantage {
    ObservationPath path();

    ChainFetcher.Fetched observe(String host);

    /**
     * A vantage service at {@code url}, reached at {@code address} (for a lab name such as
     * {@value VantageService#HOST}, the lab's plain-HTTP listener).
     */
    static Vantage service(URI url, InetSocketAddress address, Duration timeout) {
        return new ServiceVantage(url, address, timeout);
    }

    /** This process, straight to the simulated Internet's HTTPS listener at {@code internet}. */
    static Vantage direct(InetSocketAddress internet, ChainFetcher fetcher) {
        return new Vantage() {
            @Override
            public ObservationPath path() {
                return ObservationPath.vantage("direct from this process to the simulated Internet at "
                        + internet.getAddress().getHostAddress() + ":" + internet.getPort());
            }

            @Override
            public ChainFetcher.Fetched observe(String host) {
                return fetcher.direct(internet, host);
            }
        };
    }

    /** The client side of the vantage service protocol. */
    final class ServiceVantage implements Vantage {
        private final URI url;
        private final InetSocketAddress address;
        private final Duration timeout;
        private final ObjectMapper json = new ObjectMapper();

        ServiceVantage(URI url, InetSocketAddress address, Duration timeout) {
            this.url = url;
            this.address = address;
            this.timeout = timeout;
        }

        @Override
        public ObservationPath path() {
            return ObservationPath.vantage("vantage service " + url);
        }

        @Override
        public ChainFetcher.Fetched observe(String host) {
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            String target = path + "?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8);
            try {
                // the vantage point makes its own handshake first, so allow it that and the request itself
                LabHttp.Response r = LabHttp.get(address, url.getAuthority(), target, timeout.multipliedBy(2));
                JsonNode body = json.readTree(r.body());
                if (r.status() != 200) {
                    return new ChainFetcher.Fetched(List.of(), "the vantage service answered " + r.status() + ": " + body.path("error").asText(r.body()));
                }
                if (body.hasNonNull("error")) {
                    return new ChainFetcher.Fetched(List.of(), "the vantage point saw no certificate: " + body.get("error").asText());
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (JsonNode pem : body.path("chain")) {
                    chain.addAll(PemFiles.parseCertificates(pem.asText()));
                }
                return chain.isEmpty() ? new ChainFetcher.Fetched(List.of(), "the vantage service returned no chain")
                        : new ChainFetcher.Fetched(chain, null);
            } catch (IOException | PkiException e) {
                return new ChainFetcher.Fetched(List.of(), "cannot ask the vantage service " + url + " at " + address + ": " + e.getMessage());
            }
        }
    }
}
