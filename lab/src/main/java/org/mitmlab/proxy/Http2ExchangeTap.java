package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP/2 tap: Netty's frame reader (with its HPACK decoder) parses copies of each direction's
 * bytes; requests and responses pair by stream id. It only reads: window updates, settings and
 * pings are the endpoints' business. A parse error silences the tap, never the relay.
 */
final class Http2ExchangeTap implements ExchangeTap {
    private static final int MAX_STREAMS_TRACKED = 1024;

    private final FlowContext flow;
    private final String host;
    private final Clock clock;
    private final Map<Integer, ExchangeBuilder> streams = new HashMap<>();
    private final Side client = new Side(true);
    private final Side server = new Side(false);
    private boolean broken;

    Http2ExchangeTap(FlowContext flow, String host, Clock clock) {
        this.flow = flow;
        this.host = host;
        this.clock = clock;
    }

    @Override
    public RelayHandler.ByteTap requestSide() {
        return client;
    }

    @Override
    public RelayHandler.ByteTap responseSide() {
        return server;
    }

    @Override
    public void close() {
        client.release();
        server.release();
    }

    /** One direction: accumulates bytes until whole frames can be read. */
    private final class Side extends Http2FrameAdapter implements RelayHandler.ByteTap {
        private final boolean fromClient;
        private final DefaultHttp2FrameReader reader;
        private int prefaceToSkip;
        private ByteBuf buffer;

        Side(boolean fromClient) {
            this.fromClient = fromClient;
            this.prefaceToSkip = fromClient ? Http2CodecUtil.connectionPrefaceBuf().readableBytes() : 0;
            DefaultHttp2HeadersDecoder headers = new DefaultHttp2HeadersDecoder(false, 1L << 20);
            this.reader = new DefaultHttp2FrameReader(headers);
            try {
                reader.maxFrameSize(Http2CodecUtil.MAX_FRAME_SIZE_UPPER_BOUND);
                headers.configuration().maxHeaderTableSize(1L << 20);
            } catch (Http2Exception e) {
                broken = true;
            }
        }

        @Override
        public void onBytes(ChannelHandlerContext ctx, ByteBuf bytes) {
            if (broken) {
                return;
            }
            ByteBuf in = bytes.duplicate();
            if (prefaceToSkip > 0) {
                int n = Math.min(prefaceToSkip, in.readableBytes());
                in.skipBytes(n);
                prefaceToSkip -= n;
            }
            if (!in.isReadable()) {
                return;
            }
            if (buffer == null) {
                buffer = ctx.alloc().buffer(in.readableBytes());
            }
            buffer.writeBytes(in);
            try {
                reader.readFrame(ctx, buffer, this);
            } catch (Http2Exception | RuntimeException e) {
                broken = true;
                release();
                return;
            }
            if (!buffer.isReadable()) {
                buffer.release();
                buffer = null;
            } else {
                buffer.discardSomeReadBytes();
            }
        }

        void release() {
            if (buffer != null) {
                buffer.release();
                buffer = null;
            }
            reader.close();
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endStream) {
            if (fromClient) {
                if (!streams.containsKey(streamId) && streams.size() < MAX_STREAMS_TRACKED) {
                    streams.put(streamId, ExchangeBuilder.fromHttp2(headers, host, clock));
                }
                return;
            }
            ExchangeBuilder exchange = streams.get(streamId);
            if (exchange == null) {
                return;
            }
            CharSequence status = headers.status();
            if (status != null && !exchange.hasResponse()) {
                int code = Integer.parseInt(status.toString());
                if (code >= 200) {
                    exchange.response(code, headers);
                }
            }
            if (endStream) {
                finish(streamId);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endStream) {
            onHeadersRead(ctx, streamId, headers, padding, endStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            ExchangeBuilder exchange = streams.get(streamId);
            if (exchange != null) {
                if (fromClient) {
                    exchange.requestBody(data);
                } else {
                    exchange.responseBody(data);
                    if (endOfStream) {
                        finish(streamId);
                    }
                }
            }
            return data.readableBytes() + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            ExchangeBuilder exchange = streams.get(streamId);
            if (exchange != null && exchange.hasResponse()) {
                finish(streamId);
            } else {
                streams.remove(streamId);
            }
        }

        private void finish(int streamId) {
            ExchangeBuilder exchange = streams.remove(streamId);
            if (exchange != null) {
                flow.emit(exchange.build(flow, "HTTP/2"));
            }
        }
    }
}
