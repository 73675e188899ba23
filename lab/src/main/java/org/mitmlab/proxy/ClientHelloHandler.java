package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.Refused;

/**
 * Holds the client's first TLS bytes until the ClientHello is complete, reads SNI and ALPN, and
 * hands the connection to the path the {@link InterceptionPolicy} chose. The buffered ClientHello
 * is released to whatever handler comes next (relay or forged-certificate SslHandler) when this
 * handler removes itself.
 */
final class ClientHelloHandler extends SslClientHelloHandler<ClientHello> {
    private static final long CLIENT_HELLO_TIMEOUT_SECONDS = 10;
    /** A fatal TLS alert record: TLS 1.0 record version is what every client accepts here. */
    private static final byte ALERT_UNRECOGNIZED_NAME = 112;

    private final ProxyServices services;
    private final String connectHost;
    private ScheduledFuture<?> timeout;
    /** Set once a path is chosen: later bytes wait in the buffer for the next handler. */
    private boolean decided;

    /** @param connectHost the CONNECT host in explicit mode, or null when TLS came straight in */
    ClientHelloHandler(ProxyServices services, String connectHost) {
        this.services = services;
        this.connectHost = connectHost;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            ProxyFailures.record(ctx.channel(), "client-hello", new IllegalStateException(
                    "no complete ClientHello within " + CLIENT_HELLO_TIMEOUT_SECONDS + " s"));
            ctx.close();
        }, CLIENT_HELLO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        super.handlerRemoved0(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, java.util.List<Object> out) throws Exception {
        if (!decided) {
            super.decode(ctx, in, out);
        }
    }

    @Override
    protected Future<ClientHello> lookup(ChannelHandlerContext ctx, ByteBuf hello) {
        return ctx.executor().newSucceededFuture(hello == null ? null : ClientHello.parse(hello));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<ClientHello> future) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        decided = true;
        ctx.channel().config().setAutoRead(false); // the connectors turn it back on once their handlers are in place
        FlowContext flow = FlowContext.of(ctx.channel());
        ClientHello hello = future.getNow();
        if (hello == null) {
            refuse(ctx, flow, null, "the client did not start with a TLS ClientHello");
            return;
        }
        flow.sni = hello.sni();
        Verdict verdict = services.policy.decide(hello.sni(), connectHost);
        String routeName = connectHost != null ? connectHost : hello.sni();
        String destination = routeName == null ? "unknown (no SNI)" : routeName + ":" + InterceptionPolicy.HTTPS_PORT;
        if (verdict instanceof Verdict.Refuse r) {
            flow.emit(new DecisionMade(flow.flowId(), flow.now(), hello.sni(), destination, hello.alpn(),
                    Decision.REFUSE, r.reason()));
            refuse(ctx, flow, hello, r.reason());
        } else if (verdict instanceof Verdict.PassThrough p) {
            flow.emit(new DecisionMade(flow.flowId(), flow.now(), hello.sni(), destination, hello.alpn(),
                    Decision.PASS_THROUGH, hello.sni() == null
                            ? "no SNI: relayed untouched"
                            : hello.sni() + " is not targeted: relayed untouched, the client sees the genuine certificate"));
            new PassThroughConnector(services, ctx, p.route()).start();
        } else if (verdict instanceof Verdict.Intercept i) {
            flow.emit(new DecisionMade(flow.flowId(), flow.now(), hello.sni(), destination, hello.alpn(),
                    Decision.INTERCEPT, i.sni() + " is targeted: TLS is terminated with a forged certificate"));
            new InterceptConnector(services, ctx, i, hello.alpn()).start();
        }
    }

    private void refuse(ChannelHandlerContext ctx, FlowContext flow, ClientHello hello, String reason) {
        flow.outcomeRecorded = true;
        String destination = connectHost != null ? connectHost : hello == null ? null : hello.sni();
        flow.emit(new Refused(flow.flowId(), flow.now(), flow.client(), destination, reason));
        // A fatal unrecognized_name alert: the TLS way of saying "not here" (curl prints the alert name).
        ByteBuf alert = Unpooled.wrappedBuffer(new byte[] {21, 3, 1, 0, 2, 2, ALERT_UNRECOGNIZED_NAME});
        ctx.writeAndFlush(alert).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProxyFailures.record(ctx.channel(), "client-hello",
                new IllegalArgumentException("the client did not send a TLS ClientHello (" + ProxyFailures.describe(cause) + ")"));
        ctx.close();
    }
}
