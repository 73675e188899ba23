package org.mitmlab.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.WebPki;

/** The lab's origin on a free loopback port, serving one lab site with a certificate of a fresh public PKI. */
public final class OneSiteOrigin implements AutoCloseable {
    private final WebPki web;
    private final OriginServer origin;

    private OneSiteOrigin(WebPki web, OriginServer origin) {
        this.web = web;
        this.origin = origin;
    }

    public static OneSiteOrigin start(Transport transport, String site) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        WebPki web = WebPki.generate(clock, random);
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        OriginServer origin = new OriginServer(transport, new TlsContexts(true), catalogue,
                Map.of(site, web.issue(catalogue.site(site).orElseThrow(), clock, random)), web, clock)
                .start(InetAddress.getLoopbackAddress(), 0, 0);
        return new OneSiteOrigin(web, origin);
    }

    /** The public PKI whose roots the site's chain leads to. */
    public WebPki web() {
        return web;
    }

    public InetSocketAddress httpsAddress() {
        return origin.httpsAddress();
    }

    @Override
    public void close() {
        origin.close();
    }
}
