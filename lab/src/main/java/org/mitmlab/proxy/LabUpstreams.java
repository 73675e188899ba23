package org.mitmlab.proxy;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.HostNames;

/**
 * The embedded lab's "DNS": every lab name resolves to the simulated Internet on loopback
 * (port 443 to its HTTPS listener, port 80 to its plain one); nothing else resolves.
 */
public final class LabUpstreams implements UpstreamResolver {
    private final DomainCatalogue catalogue;
    private final InetSocketAddress https;
    private final InetSocketAddress http;
    private final java.util.Set<String> httpServiceHosts;

    /**
     * @param httpServiceHosts lab services reachable only over plain HTTP (the CA repository, the CT
     *                         log, the vantage service)
     */
    public LabUpstreams(DomainCatalogue catalogue, InetSocketAddress https, InetSocketAddress http, java.util.Set<String> httpServiceHosts) {
        this.catalogue = catalogue;
        this.https = https;
        this.http = http;
        this.httpServiceHosts = java.util.Set.copyOf(httpServiceHosts);
    }

    @Override
    public boolean mayRoute(String host) {
        return HostNames.normalize(host).map(n -> catalogue.isInsideLab(n) || httpServiceHosts.contains(n)).orElse(false);
    }

    @Override
    public CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        if (!mayRoute(host)) {
            return CompletableFuture.failedFuture(new DestinationRefusedException(
                    host + " is outside the lab: mitmlab never relays to the real Internet"));
        }
        boolean service = HostNames.normalize(host).map(httpServiceHosts::contains).orElse(false);
        if (port == 443 && !service) {
            return CompletableFuture.completedFuture(https);
        }
        if (port == 80) {
            return CompletableFuture.completedFuture(http);
        }
        return CompletableFuture.failedFuture(new DestinationRefusedException(
                host + ":" + port + " is not a lab service (sites listen on 443, and on 80 only to redirect)"));
    }
}
