package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.event.EventLog;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HeaderField;
import org.mitmlab.event.HttpExchange;

/**
 * The HTTP/1.1 tap on realistic byte streams, split into odd-sized pieces as TCP delivers them. The
 * tap only reads copies: the relayed buffers are released here, by their owner, after each call.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http1ExchangeTapTest {
    private static final Instant T0 = Instant.parse("2019-07-18T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private EventLog events;
    private FlowContext flow;
    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private Http1ExchangeTap tap;

    @BeforeEach
    void setUp() {
        events = new EventLog(1000);
        flow = new FlowContext("flow-h1", new InetSocketAddress(InetAddress.getLoopbackAddress(), 50123), CLOCK, events);
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ctx = channel.pipeline().firstContext();
        tap = new Http1ExchangeTap(flow, "fallback.example", CLOCK);
    }

    @AfterEach
    void tearDown() {
        tap.close();
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 3, 7, 13, 64, 100_000})
    void simpleGet(int chunk) {
        String body = "<html><body>VK news feed</body></html>\n";
        request(chunk, "GET /feed?section=news HTTP/1.1\r\nHost: vk.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n");
        assertThat(exchanges()).as("no response yet").isEmpty();
        response(chunk, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);

        HttpExchange x = single();
        assertThat(x.flowId()).isEqualTo("flow-h1");
        assertThat(x.time()).isEqualTo(T0);
        assertThat(x.protocol()).isEqualTo("HTTP/1.1");
        assertThat(x.scheme()).isEqualTo("https");
        assertThat(x.method()).isEqualTo("GET");
        assertThat(x.host()).isEqualTo("vk.com");
        assertThat(x.path()).isEqualTo("/feed?section=news");
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.requestBytes()).isZero();
        assertThat(x.responseBytes()).isEqualTo(body.length());
        assertThat(x.responsePreview()).isEqualTo(body);
        assertThat(x.requestHeaders()).containsExactly(new HeaderField("host", "vk.com"),
                new HeaderField("user-agent", "curl/8.5.0"), new HeaderField("accept", "*/*"));
        assertThat(x.responseHeaders()).contains(new HeaderField("content-type", "text/html; charset=utf-8"));
        assertThat(x.formFields()).isEmpty();
        assertThat(x.durationMillis()).isGreaterThanOrEqualTo(0);
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 5, 11, 100_000})
    void urlencodedLoginFormIsCaptured(int chunk) {
        String form = "email=alice%40example.kz&password=p%C3%A4ss+word%21&remember&=ignored&lang=kk";
        request(chunk, "POST /login HTTP/1.1\r\nHost: accounts.google.com:443\r\n"
                + "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: "
                + form.length() + "\r\n\r\n" + form);
        response(chunk, "HTTP/1.1 302 Found\r\nLocation: /inbox\r\nContent-Length: 0\r\n\r\n");

        HttpExchange x = single();
        assertThat(x.method()).isEqualTo("POST");
        assertThat(x.host()).as("port stripped").isEqualTo("accounts.google.com");
        assertThat(x.path()).isEqualTo("/login");
        assertThat(x.status()).isEqualTo(302);
        assertThat(x.requestBytes()).isEqualTo(form.length());
        assertThat(x.responseBytes()).isZero();
        assertThat(x.formFields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "email", "alice@example.kz", "password", "päss word!", "remember", "", "lang", "kk"));
    }

    @Test
    void chunkedFormBodyIsCountedDecoded() {
        request(4, "POST /save HTTP/1.1\r\nHost: vk.com\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n6\r\na=1&b=\r\n3\r\n2&c\r\n0\r\n\r\n");
        response(4, "HTTP/1.1 204 No Content\r\n\r\n");
        HttpExchange x = single();
        assertThat(x.requestBytes()).isEqualTo(9);
        assertThat(x.formFields()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2", "c", ""));
        assertThat(x.status()).isEqualTo(204);
    }

    @Test
    void nonFormBodyIsCountedButNotCaptured() {
        String json = "{\"user\":\"alice\",\"password\":\"secret\"}";
        request(9, "POST /api/login HTTP/1.1\r\nHost: vk.com\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length() + "\r\n\r\n" + json);
        response(9, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        HttpExchange x = single();
        assertThat(x.requestBytes()).isEqualTo(json.length());
        assertThat(x.formFields()).isEmpty();
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 6, 17, 100_000})
    void headWithContentLengthHasNoBodyAndThePipelinedNextResponseStillParses(int chunk) {
        request(chunk, "HEAD /big.iso HTTP/1.1\r\nHost: mail.ru\r\n\r\nGET /next HTTP/1.1\r\nHost: mail.ru\r\n\r\n");
        response(chunk, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1234\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        List<HttpExchange> xs = exchanges();
        assertThat(xs).hasSize(2);
        HttpExchange head = xs.get(0);
        assertThat(head.method()).isEqualTo("HEAD");
        assertThat(head.path()).isEqualTo("/big.iso");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.responseBytes()).isZero();
        assertThat(head.responseHeaders()).contains(new HeaderField("content-length", "1234"));
        HttpExchange next = xs.get(1);
        assertThat(next.method()).isEqualTo("GET");
        assertThat(next.path()).isEqualTo("/next");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.responseBytes()).isEqualTo(2);
        assertThat(next.responsePreview()).isEqualTo("ok");
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 100_000})
    void expect100ContinueGivesOneExchangeWithTheFinalStatus(int chunk) {
        String body = "hello world";
        request(chunk, "PUT /upload HTTP/1.1\r\nHost: vk.com\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n");
        response(chunk, "HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(exchanges()).as("an interim response completes nothing").isEmpty();
        request(chunk, body);
        response(chunk, "HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated");

        HttpExchange x = single();
        assertThat(x.method()).isEqualTo("PUT");
        assertThat(x.status()).isEqualTo(201);
        assertThat(x.requestBytes()).isEqualTo(body.length());
        assertThat(x.responseBytes()).isEqualTo(7);
        assertThat(x.responsePreview()).isEqualTo("created");
    }

    @Test
    void chunkedResponseIsCountedDecoded() {
        request(100, "GET /wiki HTTP/1.1\r\nHost: wikipedia.org\r\n\r\n");
        response(3, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n");
        HttpExchange x = single();
        assertThat(x.responseBytes()).isEqualTo(9);
        assertThat(x.responsePreview()).isEqualTo("Wikipedia");
    }

    @Test
    void largeResponseIsCountedFullyButPreviewIsCapped() {
        String body = "x".repeat(200_000);
        request(1000, "GET /large HTTP/1.1\r\nHost: vk.com\r\n\r\n");
        response(4093, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        HttpExchange x = single();
        assertThat(x.responseBytes()).isEqualTo(200_000);
        assertThat(x.responsePreview()).hasSize(ExchangeBuilder.PREVIEW_BYTES);
    }

    @Test
    void severalRequestsOnOneConnectionPairInOrder() {
        StringBuilder requests = new StringBuilder();
        StringBuilder responses = new StringBuilder();
        int[] codes = {200, 201, 202, 203, 206}; // not 204: a 204 never has a body
        for (int i = 0; i < 5; i++) {
            requests.append("GET /page/").append(i).append(" HTTP/1.1\r\nHost: ok.ru\r\n\r\n");
            String body = "page " + i;
            responses.append("HTTP/1.1 ").append(codes[i]).append(" X\r\nContent-Length: ").append(body.length())
                    .append("\r\n\r\n").append(body);
        }
        request(13, requests.toString());
        response(13, responses.toString());
        List<HttpExchange> xs = exchanges();
        assertThat(xs).extracting(HttpExchange::path).containsExactly("/page/0", "/page/1", "/page/2", "/page/3", "/page/4");
        assertThat(xs).extracting(HttpExchange::status).containsExactly(200, 201, 202, 203, 206);
        assertThat(xs).extracting(HttpExchange::responsePreview).containsExactly("page 0", "page 1", "page 2", "page 3", "page 4");
    }

    @Test
    void notModifiedHasNoBody() {
        request(50, "GET /logo.png HTTP/1.1\r\nHost: vk.com\r\nIf-None-Match: \"abc\"\r\n\r\n"
                + "GET /after HTTP/1.1\r\nHost: vk.com\r\n\r\n");
        response(50, "HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\nContent-Length: 5000\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes");
        assertThat(exchanges()).extracting(HttpExchange::status).containsExactly(304, 200);
        assertThat(exchanges()).extracting(HttpExchange::responseBytes).containsExactly(0L, 3L);
    }

    @Test
    void absoluteFormUriGivesThePath() {
        request(100, "GET https://vk.com/abs/path?q=1 HTTP/1.1\r\nHost: vk.com\r\n\r\n");
        response(100, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(single().path()).isEqualTo("/abs/path?q=1");
    }

    @Test
    void missingHostHeaderFallsBackToTheFlowHost() {
        request(100, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n");
        response(100, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(single().host()).isEqualTo("fallback.example");
    }

    @Test
    void notHttpMakesTheTapGoQuiet() {
        request(7, "NOT-HTTP garbage ????\r\n\r\n"); // three tokens, but no HTTP version
        request(100, "GET / HTTP/1.1\r\nHost: vk.com\r\n\r\n");
        response(100, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(events.snapshot()).isEmpty();
    }

    @Test
    void garbageResponseMakesTheTapGoQuiet() {
        request(100, "GET / HTTP/1.1\r\nHost: vk.com\r\n\r\n");
        response(100, "220 smtp.example ESMTP ready\r\n\r\n"); // an SMTP banner: no HTTP version
        response(100, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(events.snapshot()).isEmpty();
    }

    @Test
    void responseDelimitedByConnectionCloseIsReportedWhenTheFlowCloses() {
        request(100, "GET /old HTTP/1.1\r\nHost: vk.com\r\n\r\n");
        response(100, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until close");
        tap.close();
        HttpExchange x = single();
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.responseBytes()).isEqualTo("body until close".length());
    }

    @Test
    void closeWithAnUnansweredRequestReleasesEverything() {
        request(5, "POST /x HTTP/1.1\r\nHost: vk.com\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 100\r\n\r\na=1");
        response(5, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
        tap.close();
        tap.close(); // closing twice is harmless
    }

    // ---------------------------------------------------------------- helpers

    private void request(int chunk, String text) {
        feed(tap.requestSide(), text.getBytes(StandardCharsets.UTF_8), chunk);
    }

    private void response(int chunk, String text) {
        feed(tap.responseSide(), text.getBytes(StandardCharsets.UTF_8), chunk);
    }

    /** As RelayHandler does: the tap sees each buffer, which its owner then forwards (here: releases). */
    private void feed(RelayHandler.ByteTap side, byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            ByteBuf buf = ctx.alloc().buffer(n);
            try {
                buf.writeBytes(bytes, i, n);
                side.onBytes(ctx, buf);
                assertThat(buf.readerIndex()).as("the tap must not consume").isZero();
                assertThat(buf.readableBytes()).isEqualTo(n);
                assertThat(buf.refCnt()).as("the tap must not release the relayed buffer").isPositive();
            } finally {
                buf.release();
            }
        }
    }

    private List<HttpExchange> exchanges() {
        return events.ofType(HttpExchange.class);
    }

    private HttpExchange single() {
        List<FlowEvent> all = events.snapshot();
        assertThat(all).hasSize(1);
        assertThat(all.get(0)).isInstanceOf(HttpExchange.class);
        return (HttpExchange) all.get(0);
    }
}
