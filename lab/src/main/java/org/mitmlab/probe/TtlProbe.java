package org.mitmlab.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.mitmlab.net.Transport;

/**
 * The 2019 localisation method: a normal TCP handshake to port 443, then the ClientHello sent with
 * IP TTL 1, 2, 3, ... (a new connection per TTL). A hello whose TTL runs out before the server is
 * never answered; the first TTL that gets TLS bytes back is the hop of whoever answers: the server
 * itself, or a middlebox in front of it. Needs Linux (epoll) for the per-socket TTL.
 */
public final class TtlProbe {
    /** Linux: IPPROTO_IP and its IP_TTL / IP_RECVERR options. */
    private static final int IPPROTO_IP = 0;
    private static final IntegerUnixChannelOption IP_TTL = new IntegerUnixChannelOption("IP_TTL", IPPROTO_IP, 2);
    private static final IntegerUnixChannelOption IP_RECVERR = new IntegerUnixChannelOption("IP_RECVERR", IPPROTO_IP, 11);

    private final Transport transport;
    private final Duration wait;

    public TtlProbe(Transport transport, Duration wait) {
        if (!transport.isEpoll()) {
            throw new IllegalStateException("the TTL probe needs Linux with Netty's epoll transport");
        }
        this.transport = transport;
        this.wait = wait;
    }

    /** What one TTL got. */
    public enum Answer { TLS_ANSWER, NO_ANSWER, CONNECT_FAILED }

    public record Step(int ttl, Answer answer) {
    }

    /** Probes TTL 1..maxTtl and stops at the first TLS answer. */
    public List<Step> probe(InetSocketAddress server, String sni, int maxTtl) throws InterruptedException {
        byte[] hello = clientHello(sni);
        List<Step> steps = new ArrayList<>();
        for (int ttl = 1; ttl <= maxTtl; ttl++) {
            Answer a = once(server, hello, ttl);
            steps.add(new Step(ttl, a));
            if (a == Answer.TLS_ANSWER) {
                break;
            }
        }
        return steps;
    }

    private Answer once(InetSocketAddress server, byte[] hello, int ttl) throws InterruptedException {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(transport.workers()).channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) wait.toMillis() * 4)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        result.complete(Answer.TLS_ANSWER);
                        ctx.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        result.complete(Answer.NO_ANSWER); // e.g. "No route to host" from an ICMP time-exceeded
                        ctx.close();
                    }
                })
                .connect(server);
        if (!connect.await(wait.toMillis() * 5) || !connect.isSuccess()) {
            connect.channel().close();
            return Answer.CONNECT_FAILED;
        }
        Channel ch = connect.channel();
        // the handshake went at the normal TTL; only the hello is limited, as in 2019
        ch.config().setOption(IP_RECVERR, 1);
        ch.config().setOption(IP_TTL, ttl);
        ch.writeAndFlush(Unpooled.wrappedBuffer(hello));
        try {
            return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return Answer.NO_ANSWER;
        } finally {
            ch.close().await(1000);
        }
    }

    /** A real ClientHello naming {@code sni}, from the JDK's TLS client. */
    static byte[] clientHello(String sni) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, null, null);
            SSLEngine engine = ctx.createSSLEngine(sni, 443);
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            engine.setSSLParameters(p);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (java.security.GeneralSecurityException | javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build a ClientHello", e);
        }
    }
}
