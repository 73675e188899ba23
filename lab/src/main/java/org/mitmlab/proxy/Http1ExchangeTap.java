package org.mitmlab.proxy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * HTTP/1.1 tap: Netty's request and response decoders run on copies of the relayed bytes in two
 * embedded channels. Responses pair with requests in order (HTTP/1.1 has no other way to pair).
 * If either side stops parsing (not HTTP after all), the tap goes quiet and the relay carries on.
 */
final class Http1ExchangeTap implements ExchangeTap {
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final FlowContext flow;
    private final String host;
    private final Clock clock;
    private final Deque<ExchangeBuilder> pending = new ArrayDeque<>();
    private final Deque<String> methods = new ArrayDeque<>();
    private EmbeddedChannel requests;
    private EmbeddedChannel responses;
    private ExchangeBuilder current;
    private boolean interimResponse;
    private boolean broken;

    Http1ExchangeTap(FlowContext flow, String host, Clock clock) {
        this.flow = flow;
        this.host = host;
        this.clock = clock;
    }

    @Override
    public RelayHandler.ByteTap requestSide() {
        return (ctx, bytes) -> {
            if (broken) {
                return;
            }
            if (requests == null) {
                requests = new EmbeddedChannel(new HttpRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK),
                        new ObjectSink(this::onRequestObject));
            }
            requests.writeInbound(bytes.retainedDuplicate());
        };
    }

    @Override
    public RelayHandler.ByteTap responseSide() {
        return (ctx, bytes) -> {
            if (broken) {
                return;
            }
            if (responses == null) {
                // the sink sits inside the channel so pairing advances message by message: two pipelined
                // responses decoded from one buffer must each see their own request's method
                responses = new EmbeddedChannel(new PairedResponseDecoder(), new ObjectSink(this::onResponseObject));
            }
            responses.writeInbound(bytes.retainedDuplicate());
        };
    }

    private void onRequestObject(HttpObject o) {
        if (o.decoderResult().isFailure()) {
            broken = true;
            return;
        }
        if (o instanceof HttpRequest r) {
            current = ExchangeBuilder.fromHttp1(r, "https", host, clock);
            pending.addLast(current);
            methods.addLast(r.method().name());
        }
        if (o instanceof HttpContent c && current != null) {
            current.requestBody(c.content());
        }
    }

    private void onResponseObject(HttpObject o) {
        if (o.decoderResult().isFailure()) {
            broken = true;
            return;
        }
        ExchangeBuilder exchange = pending.peekFirst();
        if (o instanceof HttpResponse r) {
            interimResponse = r.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL;
            if (!interimResponse && exchange != null) {
                exchange.response(r.status().code(), r.headers(), null);
            }
        }
        if (o instanceof HttpContent c && exchange != null && !interimResponse) {
            exchange.responseBody(c.content());
        }
        if (o instanceof LastHttpContent) {
            if (interimResponse) {
                interimResponse = false;
            } else if (exchange != null) {
                pending.removeFirst();
                methods.pollFirst();
                flow.emit(exchange.build(flow, "HTTP/1.1"));
            }
        }
    }

    /** Closing lets the decoders finish: a response delimited by the connection's end is reported now. */
    @Override
    public void close() {
        if (requests != null) {
            requests.finishAndReleaseAll();
        }
        if (responses != null) {
            responses.finishAndReleaseAll();
        }
    }

    /** Hands each decoded object to the tap and releases it. */
    private static final class ObjectSink extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final java.util.function.Consumer<HttpObject> target;

        ObjectSink(java.util.function.Consumer<HttpObject> target) {
            this.target = target;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject o) {
                    target.accept(o);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Knows that a response to HEAD has no body even when it says Content-Length. */
    private final class PairedResponseDecoder extends HttpResponseDecoder {
        PairedResponseDecoder() {
            super(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            return "HEAD".equals(methods.peekFirst()) || super.isContentAlwaysEmpty(msg);
        }
    }
}
