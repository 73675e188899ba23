package org.mitmlab.origin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.pki.PkiException;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated Internet: every lab site on one HTTPS listener (chosen by SNI) and one plain-HTTP
 * listener. Bind it to loopback; the proxy reaches it, clients normally do not.
 */
public final class OriginServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OriginServer.class);
    /** The site whose certificate a client without SNI gets (the server of the published 2019 sample). */
    public static final String DEFAULT_SITE = "rcku.kz";

    private final Transport transport;
    private final Mapping<String, SslContext> sniMapping;
    private final SiteRequestHandler siteHandler;
    private final PlainHttpHandler plainHandler;
    private final Map<String, PlainHttpService> services = new ConcurrentHashMap<>();
    private final java.util.List<SslContext> contexts = new java.util.ArrayList<>();
    private Channel https;
    private Channel http;

    public OriginServer(Transport transport, TlsContexts tls, DomainCatalogue catalogue,
            Map<String, SiteCredential> credentials, WebPki webPki, Clock clock) {
        this.transport = transport;
        SiteCredential fallback = credentials.getOrDefault(DEFAULT_SITE, credentials.values().iterator().next());
        SslContext fallbackContext = tls.server(fallback.key(), fallback.chain(), TlsContexts.H2_AND_HTTP11);
        contexts.add(fallbackContext);
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(fallbackContext);
        credentials.forEach((name, c) -> {
            SslContext ctx = tls.server(c.key(), c.chain(), TlsContexts.H2_AND_HTTP11);
            contexts.add(ctx);
            mapping.add(name, ctx);
        });
        this.sniMapping = mapping.build();
        this.siteHandler = new SiteRequestHandler(catalogue, new SiteContent(clock));
        services.put(WebPki.CT_LOG_HOST, new CtLogService(credentials.values()));
        this.plainHandler = new PlainHttpHandler(catalogue, WebPki.REPOSITORY_HOST, repository(webPki, clock), services);
    }

    /**
     * Answers plain-HTTP requests for {@code host} with {@code service} (the embedded lab adds its
     * vantage service this way). The CT log ({@link WebPki#CT_LOG_HOST}) is always there.
     */
    public OriginServer serve(String host, PlainHttpService service) {
        services.put(host, service);
        return this;
    }

    /** Binds both listeners; port 0 picks a free port. */
    public OriginServer start(InetAddress bind, int httpsPort, int httpPort) throws InterruptedException {
        https = new ServerBootstrap().group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new OriginSniHandler(sniMapping), new OriginAlpnHandler(siteHandler));
                    }
                })
                .bind(bind, httpsPort).sync().channel();
        try {
            http = bindPlain(bind, httpPort);
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("Simulated Internet listening on https://{}:{} and http://{}:{}", httpsAddress().getAddress().getHostAddress(),
                httpsAddress().getPort(), httpAddress().getAddress().getHostAddress(), httpAddress().getPort());
        return this;
    }

    private Channel bindPlain(InetAddress bind, int httpPort) throws InterruptedException {
        return new ServerBootstrap().group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(OriginAlpnHandler.MAX_REQUEST_BYTES), plainHandler);
                    }
                })
                .bind(bind, httpPort).sync().channel();
    }

    public InetSocketAddress httpsAddress() {
        return (InetSocketAddress) https.localAddress();
    }

    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) http.localAddress();
    }

    private static Map<String, PlainHttpHandler.RepositoryFile> repository(WebPki pki, Clock clock) {
        Map<String, PlainHttpHandler.RepositoryFile> files = new LinkedHashMap<>();
        try {
            files.put(path(WebPki.ROOT_CERT_URL), new PlainHttpHandler.RepositoryFile("application/pkix-cert", pki.root().certificate().getEncoded()));
            files.put(path(WebPki.CA_CERT_URL), new PlainHttpHandler.RepositoryFile("application/pkix-cert", pki.issuingCa().certificate().getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot encode the public CA certificates", e);
        }
        files.put(path(WebPki.ROOT_CRL_URL), new PlainHttpHandler.RepositoryFile("application/pkix-crl", pki.rootCrl(clock)));
        files.put(path(WebPki.CA_CRL_URL), new PlainHttpHandler.RepositoryFile("application/pkix-crl", pki.issuingCaCrl(clock)));
        return files;
    }

    private static String path(String url) {
        return url.substring(url.indexOf('/', "http://".length()));
    }

    @Override
    public void close() {
        if (https != null) {
            https.close().syncUninterruptibly();
        }
        if (http != null) {
            http.close().syncUninterruptibly();
        }
        // native OpenSSL contexts: released here rather than left to the garbage collector
        contexts.forEach(io.netty.util.ReferenceCountUtil::release);
        contexts.clear();
    }
}
