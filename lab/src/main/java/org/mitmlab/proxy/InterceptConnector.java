package org.mitmlab.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.proxy.UpstreamResolver.DestinationRefusedException;

/**
 * Intercepts one connection, origin first, as the 2019 box did:
 * <ol>
 *   <li>TLS to the origin with the client's SNI and ALPN offer, verifying the genuine chain
 *       against the public trust bundle (names are not checked: the box forged whatever name the
 *       real certificate carried);</li>
 *   <li>a forged leaf for the genuine certificate from {@link ForgeryCache} (minted off the event loop);</li>
 *   <li>TLS to the client with that leaf, agreeing on the protocol the origin chose;</li>
 *   <li>clear-text relay both ways with an HTTP tap.</li>
 * </ol>
 * An origin whose certificate is not publicly trusted is not intercepted but passed through: the
 * 2019 box only forged browser-trusted certificates.
 */
final class InterceptConnector {
    private static final Set<String> DECODABLE = Set.of("h2", "http/1.1");

    private final ProxyServices services;
    private final ChannelHandlerContext helloCtx;
    private final Channel client;
    private final Verdict.Intercept verdict;
    private final List<String> alpnOffer;

    InterceptConnector(ProxyServices services, ChannelHandlerContext helloCtx, Verdict.Intercept verdict, List<String> clientAlpn) {
        this.services = services;
        this.helloCtx = helloCtx;
        this.client = helloCtx.channel();
        this.verdict = verdict;
        // offer the origin what the client offered, limited to what the taps can read
        this.alpnOffer = clientAlpn.stream().filter(DECODABLE::contains).toList();
    }

    void start() {
        services.upstreams.resolve(verdict.route(), InterceptionPolicy.HTTPS_PORT).whenComplete((address, error) ->
                client.eventLoop().execute(() -> {
                    if (error instanceof DestinationRefusedException refused) {
                        FlowContext flow = FlowContext.of(client);
                        flow.outcomeRecorded = true;
                        flow.emit(new org.mitmlab.event.Refused(flow.flowId(), flow.now(), flow.client(), verdict.route(), refused.getMessage()));
                        client.close();
                    } else if (error != null) {
                        fail("upstream-resolve", error);
                    } else {
                        connect(address);
                    }
                }));
    }

    private void connect(InetSocketAddress address) {
        SslContext upstreamTls = services.upstreamContext(alpnOffer);
        new Bootstrap().group(client.eventLoop()).channel(services.transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, RelayHandler.READS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, RelayHandler.WATER_MARK)
                .option(ChannelOption.AUTO_READ, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) services.config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // SNI towards the origin is the client's SNI, so the origin picks the same site
                        ch.pipeline().addLast("tls", upstreamTls.newHandler(ch.alloc(), verdict.sni(), InterceptionPolicy.HTTPS_PORT));
                    }
                })
                .connect(address).addListener(services.tracking()).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        fail("upstream-connect", f.cause());
                        return;
                    }
                    Channel upstream = f.channel();
                    SslHandler tls = upstream.pipeline().get(SslHandler.class);
                    tls.handshakeFuture().addListener(h -> {
                        if (h.isSuccess()) {
                            upstream.config().setAutoRead(false); // nothing is relayed until the client leg is up
                            upstream.pipeline().addLast("hold", new HoldUntilRelayHandler());
                            onOriginHandshake(upstream, tls);
                        } else if (TlsAlerts.isUntrustedServerCertificate(h.cause())) {
                            upstream.close();
                            passThroughUntrustedOrigin(h.cause());
                        } else {
                            upstream.close();
                            fail("upstream-tls", h.cause());
                        }
                    });
                });
    }

    private void onOriginHandshake(Channel upstream, SslHandler tls) {
        X509Certificate genuine;
        try {
            genuine = (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            upstream.close();
            fail("upstream-tls", e);
            return;
        }
        String originAlpn = tls.applicationProtocol();
        services.forgeries.forge(verdict.sni(), genuine)
                .whenComplete((ready, error) -> client.eventLoop().execute(() -> {
                    if (error != null) {
                        upstream.close();
                        fail("forge", error);
                    } else if (!client.isActive()) {
                        upstream.close();
                    } else {
                        startClientTls(upstream, genuine, originAlpn, ready);
                    }
                }));
    }

    private void startClientTls(Channel upstream, X509Certificate genuine, String originAlpn, ForgeryCache.Minted ready) {
        FlowContext flow = FlowContext.of(client);
        var leaf = ready.leaf();
        // with events discarded (--events none) nobody reads the event or the exchanges: no PEMs are
        // encoded and the relay does not decode HTTP
        boolean recording = services.events != org.mitmlab.event.EventSink.NONE;
        if (recording) {
            flow.emit(new CertificateForged(flow.flowId(), flow.now(), verdict.sni(),
                    leaf.certificate().getSubjectX500Principal().getName(), genuine.getIssuerX500Principal().getName(),
                    leaf.certificate().getIssuerX500Principal().getName(), leaf.genuine().sha256Hex(),
                    leaf.fingerprint().sha256Hex(), services.forgeries.profileName(), ready.cached(),
                    ready.mintMillis(), leaf.genuinePem(), leaf.pem()));
        }
        ExchangeTap tap = recording ? ExchangeTap.forProtocol(originAlpn, flow, verdict.sni(), services.clock) : null;
        if (tap != null) {
            client.closeFuture().addListener(c -> tap.close());
        }

        SslHandler clientTls = services.forgedTlsHandler(client.alloc(), leaf, originAlpn);
        client.pipeline().addLast("alert-sniffer", new ClientAlertSnifferHandler());
        client.pipeline().addLast("forged-tls", clientTls);
        client.pipeline().addLast("relay", new RelayHandler(upstream, tap == null ? null : tap.requestSide(), "relay"));
        clientTls.handshakeFuture().addListener(h -> {
            if (client.pipeline().get("alert-sniffer") != null) {
                client.pipeline().remove("alert-sniffer");
            }
            if (h.isSuccess() && upstream.pipeline().get("hold") != null) {
                // only now does what the origin sent early go to the client: written into the forged
                // SslHandler before its handshake, it stayed queued (and leaked) when the client refused
                upstream.pipeline().replace("hold", "relay", new RelayHandler(client, tap == null ? null : tap.responseSide(), "relay"));
                upstream.config().setAutoRead(true);
            } else if (h.isSuccess()) {
                client.close(); // the origin hung up while the client was still handshaking
            } else {
                onClientHandshakeFailure(flow, h.cause());
                upstream.close();
            }
        });
        client.pipeline().remove(helloCtx.handler()); // the buffered ClientHello now reaches the forged-certificate SslHandler
        client.config().setAutoRead(true);
    }

    private void onClientHandshakeFailure(FlowContext flow, Throwable cause) {
        var alert = flow.clientAlert != null ? java.util.Optional.of(flow.clientAlert) : TlsAlerts.receivedAlert(cause);
        if (alert.isPresent() && TlsAlerts.isCertificateRejection(alert.get())) {
            reject(flow, alert.get());
        } else if (alert.isEmpty() && TlsAlerts.isClosedDuringHandshake(cause)) {
            reject(flow, "closed");
        } else {
            ProxyFailures.record(client, "client-tls", cause);
        }
    }

    private void reject(FlowContext flow, String alert) {
        flow.outcomeRecorded = true;
        flow.emit(new ClientRejectedCertificate(flow.flowId(), flow.now(), verdict.sni(), flow.client(), alert,
                TlsAlerts.explain(alert, verdict.sni())));
    }

    private void passThroughUntrustedOrigin(Throwable cause) {
        FlowContext flow = FlowContext.of(client);
        flow.emit(new DecisionMade(flow.flowId(), flow.now(), verdict.sni(), verdict.route() + ":443", alpnOffer,
                Decision.PASS_THROUGH, "the origin's certificate is not publicly trusted ("
                        + ProxyFailures.describe(cause) + "); like the 2019 box, the proxy does not intercept it"));
        new PassThroughConnector(services, helloCtx, verdict.route()).start();
    }

    private void fail(String stage, Throwable cause) {
        ProxyFailures.record(client, stage, cause);
        client.close();
    }

}
