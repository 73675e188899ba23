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
    private final String repositoryHost;

    public LabUpstreams(DomainCatalogue catalogue, InetSocketAddress https, InetSocketAddress http, String repositoryHost) {
        this.catalogue = catalogue;
        this.https = https;
        this.http = http;
        this.repositoryHost = repositoryHost;
    }

    @Override
    public boolean mayRoute(String host) {
        return HostNames.normalize(host).map(n -> catalogue.isInsideLab(n) || n.equals(repositoryHost)).orElse(false);
    }

    @Override
    public CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        if (!mayRoute(host)) {
            return CompletableFuture.failedFuture(new DestinationRefusedException(
                    host + " is outside the lab: mitmlab never relays to the real Internet"));
        }
        boolean repository = HostNames.normalize(host).map(repositoryHost::equals).orElse(false);
        if (port == 443 && !repository) {
            return CompletableFuture.completedFuture(https);
        }
        if (port == 80) {
            return CompletableFuture.completedFuture(http);
        }
        return CompletableFuture.failedFuture(new DestinationRefusedException(
                host + ":" + port + " is not a lab service (sites listen on 443, and on 80 only to redirect)"));
    }
}
