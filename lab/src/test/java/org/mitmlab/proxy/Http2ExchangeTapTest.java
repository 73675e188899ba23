package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.event.EventLog;
import org.mitmlab.event.HeaderField;
import org.mitmlab.event.HttpExchange;

/**
 * The HTTP/2 tap on frames made by Netty's own {@link DefaultHttp2FrameWriter} (one HPACK encoder per
 * direction, as real endpoints have), with the 24-byte client preface, cut into odd-sized pieces so
 * that frames and even the preface arrive partially.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2ExchangeTapTest {
    private static final Instant T0 = Instant.parse("2019-07-18T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final String FORM = "email=alice%40example.kz&password=p%C3%A4ss+word&remember=on";

    private EventLog events;
    private FlowContext flow;
    private EmbeddedChannel relay;
    private ChannelHandlerContext relayCtx;
    private Http2ExchangeTap tap;
    private Encoder client;
    private Encoder server;

    @BeforeEach
    void setUp() {
        events = new EventLog(1000);
        flow = new FlowContext("flow-h2", new InetSocketAddress(InetAddress.getLoopbackAddress(), 50124), CLOCK, events);
        relay = new EmbeddedChannel(new ChannelDuplexHandler());
        relayCtx = relay.pipeline().firstContext();
        tap = new Http2ExchangeTap(flow, "fallback.example", CLOCK);
        client = new Encoder();
        server = new Encoder();
    }

    @AfterEach
    void tearDown() {
        tap.close();
        relay.finishAndReleaseAll();
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 13, 100, 1_000_000})
    void aBrowsingSession(int chunk) {
        // client: preface, SETTINGS, WINDOW_UPDATE, then four requests
        byte[] preface = new byte[Http2CodecUtil.connectionPrefaceBuf().readableBytes()];
        Http2CodecUtil.connectionPrefaceBuf().getBytes(0, preface);
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.writeBytes(preface);
        c.writeBytes(client.settings(new Http2Settings().initialWindowSize(6 * 1024 * 1024).maxHeaderListSize(262_144)));
        c.writeBytes(client.windowUpdate(0, 15 * 1024 * 1024));
        c.writeBytes(client.headers(1, request("GET", "/feed?section=news", "vk.com").add("user-agent", "curl/8.5.0"), true));
        c.writeBytes(client.headers(3, request("POST", "/login", "vk.com:443")
                .add("content-type", "application/x-www-form-urlencoded").add("content-length", String.valueOf(FORM.length())),
                false));
        c.writeBytes(client.data(3, FORM.getBytes(StandardCharsets.US_ASCII), 10, true));
        c.writeBytes(client.headers(5, request("HEAD", "/big.iso", "vk.com"), true));
        feed(tap.requestSide(), c.toByteArray(), chunk);

        // server: SETTINGS, ACK, responses (stream 5 before stream 3, as servers may)
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(server.settings(new Http2Settings().maxConcurrentStreams(100)));
        s.writeBytes(server.settingsAck());
        s.writeBytes(server.headers(1, new DefaultHttp2Headers().status("200").add("content-type", "text/html"), false));
        s.writeBytes(server.data(1, "hello ".getBytes(StandardCharsets.US_ASCII), 0, false));
        s.writeBytes(server.data(1, "h2".getBytes(StandardCharsets.US_ASCII), 0, true));
        s.writeBytes(server.headers(5, new DefaultHttp2Headers().status("200").add("content-length", "1234"), true));
        s.writeBytes(server.headers(3, new DefaultHttp2Headers().status("302").add("location", "/inbox"), true));
        s.writeBytes(server.ping(false, 42));
        feed(tap.responseSide(), s.toByteArray(), chunk);

        List<HttpExchange> xs = events.ofType(HttpExchange.class);
        assertThat(events.snapshot()).hasSameSizeAs(xs);
        assertThat(xs).extracting(HttpExchange::path).containsExactly("/feed?section=news", "/big.iso", "/login");

        HttpExchange get = xs.get(0);
        assertThat(get.flowId()).isEqualTo("flow-h2");
        assertThat(get.time()).isEqualTo(T0);
        assertThat(get.protocol()).isEqualTo("HTTP/2");
        assertThat(get.scheme()).isEqualTo("https");
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.host()).isEqualTo("vk.com");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.requestBytes()).isZero();
        assertThat(get.responseBytes()).isEqualTo(8);
        assertThat(get.responsePreview()).isEqualTo("hello h2");
        assertThat(get.requestHeaders()).contains(new HeaderField("user-agent", "curl/8.5.0"));
        assertThat(get.responseHeaders()).contains(new HeaderField("content-type", "text/html"));

        HttpExchange head = xs.get(1);
        assertThat(head.method()).isEqualTo("HEAD");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.responseBytes()).isZero();
        assertThat(head.responseHeaders()).contains(new HeaderField("content-length", "1234"));

        HttpExchange post = xs.get(2);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.host()).as("port stripped from :authority").isEqualTo("vk.com");
        assertThat(post.status()).isEqualTo(302);
        assertThat(post.requestBytes()).as("padding is not body").isEqualTo(FORM.length());
        assertThat(post.responseBytes()).isZero();
        assertThat(post.formFields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "email", "alice@example.kz", "password", "päss word", "remember", "on"));
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 9, 1_000_000})
    void expect100ContinueReportsTheFinalStatus(int chunk) {
        byte[] body = "hello world".getBytes(StandardCharsets.US_ASCII);
        feed(tap.requestSide(), concat(prefaceAndSettings(), client.headers(1, request("PUT", "/upload", "vk.com")
                .add("expect", "100-continue").add("content-length", String.valueOf(body.length)), false)), chunk);
        feed(tap.responseSide(), concat(server.settings(new Http2Settings()),
                server.headers(1, new DefaultHttp2Headers().status("100"), false)), chunk);
        assertThat(events.snapshot()).isEmpty();
        feed(tap.requestSide(), client.data(1, body, 0, true), chunk);
        feed(tap.responseSide(), concat(server.headers(1, new DefaultHttp2Headers().status("201"), false),
                server.data(1, "created".getBytes(StandardCharsets.US_ASCII), 0, true)), chunk);

        HttpExchange x = single();
        assertThat(x.method()).isEqualTo("PUT");
        assertThat(x.status()).isEqualTo(201);
        assertThat(x.requestBytes()).isEqualTo(body.length);
        assertThat(x.responseBytes()).isEqualTo(7);
    }

    @Test
    void trailersEndTheExchangeWithoutChangingTheStatus() {
        feed(tap.requestSide(), concat(prefaceAndSettings(), client.headers(1, request("POST", "/rpc", "vk.com")
                .add("content-type", "application/grpc"), false), client.data(1, new byte[] {0, 0, 0, 0, 0}, 0, true)), 11);
        feed(tap.responseSide(), concat(server.settings(new Http2Settings()),
                server.headers(1, new DefaultHttp2Headers().status("200"), false),
                server.data(1, new byte[] {0, 0, 0, 0, 2, 8, 1}, 0, false),
                server.headers(1, new DefaultHttp2Headers().add("grpc-status", "0"), true)), 11);
        HttpExchange x = single();
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.requestBytes()).isEqualTo(5);
        assertThat(x.responseBytes()).isEqualTo(7);
        assertThat(x.formFields()).isEmpty();
    }

    @Test
    void resetStreams() {
        feed(tap.requestSide(), concat(prefaceAndSettings(),
                client.headers(1, request("GET", "/cancelled-before-response", "vk.com"), true),
                client.headers(3, request("GET", "/cancelled-mid-body", "vk.com"), true)), 5);
        feed(tap.responseSide(), concat(server.settings(new Http2Settings()),
                server.rstStream(1, Http2Error.CANCEL),
                server.headers(3, new DefaultHttp2Headers().status("200"), false),
                server.data(3, "part".getBytes(StandardCharsets.US_ASCII), 0, false),
                server.rstStream(3, Http2Error.CANCEL)), 5);
        HttpExchange x = single();
        assertThat(x.path()).isEqualTo("/cancelled-mid-body");
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.responseBytes()).isEqualTo(4);
    }

    @Test
    void hugeHeaderBlockSpansContinuationFrames() {
        Random random = new Random(5);
        StringBuilder cookie = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            cookie.append((char) ('!' + random.nextInt(90)));
        }
        byte[] headers = client.headers(1, request("GET", "/with-cookie", "vk.com").add("cookie", cookie.toString()), true);
        assertThat(headers.length).as("needs CONTINUATION").isGreaterThan(16_384 + 9);
        feed(tap.requestSide(), concat(prefaceAndSettings(), headers), 1000);
        feed(tap.responseSide(), concat(server.settings(new Http2Settings()),
                server.headers(1, new DefaultHttp2Headers().status("200").add("content-length", "0"), true)), 1000);
        HttpExchange x = single();
        assertThat(x.path()).isEqualTo("/with-cookie");
        assertThat(x.requestHeaders()).anySatisfy(h -> {
            assertThat(h.name()).isEqualTo("cookie");
            assertThat(h.value()).hasSize(ExchangeBuilder.MAX_FIELD_CHARS + 3).endsWith("...");
        });
    }

    @Test
    void largeResponseIsCountedAcrossDataFrames() {
        feed(tap.requestSide(), concat(prefaceAndSettings(), client.headers(1, request("GET", "/large", "vk.com"), true)), 4096);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(server.settings(new Http2Settings()));
        s.writeBytes(server.headers(1, new DefaultHttp2Headers().status("200"), false));
        byte[] block = new byte[16_384];
        java.util.Arrays.fill(block, (byte) 'x');
        for (int i = 0; i < 12; i++) {
            s.writeBytes(server.data(1, block, 0, i == 11));
        }
        feed(tap.responseSide(), s.toByteArray(), 3001);
        HttpExchange x = single();
        assertThat(x.responseBytes()).isEqualTo(12L * 16_384);
        assertThat(x.responsePreview()).hasSize(ExchangeBuilder.PREVIEW_BYTES);
    }

    @Test
    void manyRequestsReuseTheHpackDynamicTable() {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.writeBytes(prefaceAndSettings());
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(server.settings(new Http2Settings()));
        for (int i = 0; i < 20; i++) {
            int stream = 1 + 2 * i;
            c.writeBytes(client.headers(stream, request("GET", "/item/" + i, "ok.ru")
                    .add("user-agent", "Mozilla/5.0 (X11; Linux x86_64) lab").add("cookie", "session=abcdef0123456789"), true));
            s.writeBytes(server.headers(stream, new DefaultHttp2Headers().status("200")
                    .add("server", "lab-origin").add("x-item", String.valueOf(i)), false));
            s.writeBytes(server.data(stream, ("item " + i).getBytes(StandardCharsets.US_ASCII), 0, true));
        }
        feed(tap.requestSide(), c.toByteArray(), 17);
        feed(tap.responseSide(), s.toByteArray(), 17);
        List<HttpExchange> xs = events.ofType(HttpExchange.class);
        assertThat(xs).hasSize(20);
        for (int i = 0; i < 20; i++) {
            HttpExchange x = xs.get(i);
            assertThat(x.path()).isEqualTo("/item/" + i);
            assertThat(x.host()).isEqualTo("ok.ru");
            assertThat(x.requestHeaders()).contains(new HeaderField("cookie", "session=abcdef0123456789"));
            assertThat(x.responseHeaders()).contains(new HeaderField("x-item", String.valueOf(i)));
            assertThat(x.responsePreview()).isEqualTo("item " + i);
        }
    }

    @Test
    void missingAuthorityFallsBackToTheFlowHost() {
        Http2Headers h = new DefaultHttp2Headers().method("GET").path("/").scheme("https");
        feed(tap.requestSide(), concat(prefaceAndSettings(), client.headers(1, h, true)), 100);
        feed(tap.responseSide(), concat(server.settings(new Http2Settings()),
                server.headers(1, new DefaultHttp2Headers().status("204"), true)), 100);
        assertThat(single().host()).isEqualTo("fallback.example");
    }

    @Test
    void garbageMakesTheTapGoQuietWithoutThrowingOrLeaking() {
        byte[] junk = new byte[500];
        new Random(3).nextBytes(junk);
        feed(tap.requestSide(), concat(prefaceAndSettings(), junk), 7);
        feed(tap.requestSide(), client.headers(1, request("GET", "/", "vk.com"), true), 7);
        feed(tap.responseSide(), concat(server.settings(new Http2Settings()),
                server.headers(1, new DefaultHttp2Headers().status("200"), true)), 7);
        assertThat(events.snapshot()).isEmpty();
    }

    @Test
    void closeWithPartialFramesBufferedReleasesThem() {
        byte[] headers = client.headers(1, request("GET", "/", "vk.com"), true);
        feed(tap.requestSide(), concat(prefaceAndSettings(), java.util.Arrays.copyOf(headers, headers.length - 3)), 5);
        byte[] data = server.data(1, new byte[100], 0, true);
        feed(tap.responseSide(), java.util.Arrays.copyOf(data, 50), 5);
        tap.close(); // tearDown closes again: must be harmless
        assertThat(events.snapshot()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static Http2Headers request(String method, String path, String authority) {
        return new DefaultHttp2Headers().method(method).scheme("https").authority(authority).path(path)
                .add("accept", "*/*");
    }

    private byte[] prefaceAndSettings() {
        byte[] preface = new byte[Http2CodecUtil.connectionPrefaceBuf().readableBytes()];
        Http2CodecUtil.connectionPrefaceBuf().getBytes(0, preface);
        return concat(preface, client.settings(new Http2Settings()));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** As RelayHandler does: the tap sees each buffer, which its owner then forwards (here: releases). */
    private void feed(RelayHandler.ByteTap side, byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            ByteBuf buf = relayCtx.alloc().buffer(n);
            try {
                buf.writeBytes(bytes, i, n);
                side.onBytes(relayCtx, buf);
                assertThat(buf.readerIndex()).as("the tap must not consume").isZero();
                assertThat(buf.refCnt()).as("the tap must not release the relayed buffer").isPositive();
            } finally {
                buf.release();
            }
        }
    }

    private HttpExchange single() {
        assertThat(events.snapshot()).hasSize(1);
        return (HttpExchange) events.snapshot().get(0);
    }

    /** One endpoint's frame writer (its own HPACK encoder), writing into an embedded channel. */
    private static final class Encoder {
        private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
        private final EmbeddedChannel wire = new EmbeddedChannel(new ChannelDuplexHandler());
        private final ChannelHandlerContext ctx = wire.pipeline().firstContext();

        byte[] settings(Http2Settings settings) {
            writer.writeSettings(ctx, settings, ctx.newPromise());
            return drain();
        }

        byte[] settingsAck() {
            writer.writeSettingsAck(ctx, ctx.newPromise());
            return drain();
        }

        byte[] windowUpdate(int streamId, int increment) {
            writer.writeWindowUpdate(ctx, streamId, increment, ctx.newPromise());
            return drain();
        }

        byte[] ping(boolean ack, long data) {
            writer.writePing(ctx, ack, data, ctx.newPromise());
            return drain();
        }

        byte[] headers(int streamId, Http2Headers headers, boolean endStream) {
            writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
            return drain();
        }

        byte[] data(int streamId, byte[] data, int padding, boolean endStream) {
            writer.writeData(ctx, streamId, Unpooled.wrappedBuffer(data), padding, endStream, ctx.newPromise());
            return drain();
        }

        byte[] rstStream(int streamId, Http2Error error) {
            writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
            return drain();
        }

        private byte[] drain() {
            wire.flushOutbound();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Object o; (o = wire.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                try {
                    byte[] copy = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), copy);
                    out.writeBytes(copy);
                } finally {
                    b.release();
                }
            }
            return out.toByteArray();
        }

        void close() {
            writer.close();
            wire.finishAndReleaseAll();
        }
    }
}
