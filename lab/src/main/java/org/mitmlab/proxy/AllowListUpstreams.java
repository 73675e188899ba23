package org.mitmlab.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.mitmlab.domains.HostNames;
import org.mitmlab.net.Loopback;

/**
 * Upstreams for {@code mitmlab proxy} in front of servers an instructor runs: names go through the
 * system resolver (off the event loop) or to one fixed upstream, and the resulting address must be
 * loopback, private, or inside an {@code --allow-upstream} range. Anything else is refused, so the
 * proxy cannot become an open relay to the Internet.
 */
public final class AllowListUpstreams implements UpstreamResolver {
    private final InetSocketAddress fixed;
    private final List<Cidr> extraAllowed;
    private final Executor resolverExecutor;

    /**
     * @param fixed            every connection goes here when not null (names still decide interception)
     * @param extraAllowed     ranges allowed beyond loopback and private addresses
     * @param resolverExecutor where blocking DNS lookups run
     */
    public AllowListUpstreams(InetSocketAddress fixed, List<Cidr> extraAllowed, Executor resolverExecutor) {
        this.fixed = fixed;
        this.extraAllowed = List.copyOf(extraAllowed);
        this.resolverExecutor = resolverExecutor;
    }

    @Override
    public boolean mayRoute(String host) {
        return HostNames.normalize(host).isPresent();
    }

    @Override
    public CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        if (fixed != null) {
            return allowed(fixed.getAddress())
                    ? CompletableFuture.completedFuture(fixed)
                    : CompletableFuture.failedFuture(refusal(host, fixed.getAddress()));
        }
        return CompletableFuture.supplyAsync(() -> {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new DestinationRefusedException(host + " does not resolve");
            }
            List<InetAddress> ok = new ArrayList<>();
            for (InetAddress a : all) {
                if (allowed(a)) {
                    ok.add(a);
                }
            }
            if (ok.isEmpty()) {
                throw refusal(host, all[0]);
            }
            return new InetSocketAddress(ok.get(0), port);
        }, resolverExecutor);
    }

    private boolean allowed(InetAddress a) {
        if (Loopback.isLoopbackOrPrivate(a)) {
            return true;
        }
        for (Cidr c : extraAllowed) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static DestinationRefusedException refusal(String host, InetAddress a) {
        return new DestinationRefusedException(host + " resolves to " + a.getHostAddress()
                + ", which is not loopback or private; add --allow-upstream CIDR if it is really yours");
    }
}
