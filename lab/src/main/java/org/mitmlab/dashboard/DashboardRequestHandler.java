package org.mitmlab.dashboard;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.mitmlab.dashboard.DashboardApi.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one dashboard request. Static files are answered on the event loop (they are bytes in
 * memory); {@code /api/...} answers are computed on the dashboard's own executor, so the event
 * loops the proxy shares never wait for JSON; {@code /api/stream} turns the connection into an
 * event stream and hands it to an {@link SseHandler}.
 *
 * <p>The dashboard shows passwords the box captured, so it answers only requests addressed to this
 * machine by name ({@code Host: 127.0.0.1:PORT} or {@code localhost}): a web page elsewhere cannot
 * reach it through DNS rebinding. It sends no CORS headers, and its page runs only its own script.
 */
@Sharable
final class DashboardRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(DashboardRequestHandler.class);
    private static final Pattern FLOW_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final int MAX_EVENT_LIMIT = 20_000;

    private final DashboardApi api;
    private final StaticResources resources;
    private final EventHub hub;
    private final Executor executor;
    private final Set<String> allowedHosts;
    private final int streamQueueCapacity;
    private final byte[] proxyAutoConfig;

    DashboardRequestHandler(DashboardApi api, StaticResources resources, EventHub hub, Executor executor,
            Set<String> allowedHosts, int streamQueueCapacity, byte[] proxyAutoConfig) {
        this.proxyAutoConfig = proxyAutoConfig;
        this.api = api;
        this.resources = resources;
        this.hub = hub;
        this.executor = executor;
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.streamQueueCapacity = streamQueueCapacity;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, api.error(HttpResponseStatus.BAD_REQUEST, "malformed request"), false, false);
            return;
        }
        if (!hostAllowed(request.headers().get(HttpHeaderNames.HOST))) {
            send(ctx, api.error(HttpResponseStatus.MISDIRECTED_REQUEST,
                    "the dashboard answers only requests for 127.0.0.1 or localhost"), false, false);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!head && !request.method().equals(HttpMethod.GET)) {
            Answer a = api.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "the dashboard only reads: use GET");
            send(ctx, new Answer(a.status(), a.contentType(), a.body(), Map.of("allow", "GET, HEAD")), keepAlive, false);
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        var resource = resources.get(path);
        if (resource.isPresent()) {
            send(ctx, new Answer(HttpResponseStatus.OK, resource.get().contentType(), resource.get().body(), Map.of()),
                    keepAlive, head);
            return;
        }
        switch (path) {
            case "/favicon.ico" -> send(ctx, new Answer(HttpResponseStatus.NO_CONTENT, "text/plain", new byte[0], Map.of()),
                    keepAlive, head);
            case "/proxy.pac" -> send(ctx, proxyAutoConfig == null
                    ? api.error(HttpResponseStatus.NOT_FOUND, "this dashboard has no proxy to point at: no PAC file")
                    : new Answer(HttpResponseStatus.OK, ProxyAutoConfig.CONTENT_TYPE, proxyAutoConfig, Map.of()), keepAlive, head);
            case "/api/stream" -> {
                if (head) {
                    send(ctx, api.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "open the stream with GET"), keepAlive, true);
                } else {
                    startStream(ctx, request.headers(), query);
                }
            }
            case "/api/events" -> {
                String flow = param(query, "flow");
                String type = param(query, "type");
                int limit = intParam(query, "limit", DashboardApi.DEFAULT_EVENT_LIMIT, 1, MAX_EVENT_LIMIT);
                answerLater(ctx, () -> api.events(flow, type, limit), keepAlive, head);
            }
            case "/api/flows" -> answerLater(ctx, api::flows, keepAlive, head);
            case "/api/overview" -> answerLater(ctx, api::overview, keepAlive, head);
            case "/api/har" -> answerLater(ctx, api::har, keepAlive, head);
            default -> {
                if (path.startsWith("/api/certificates/")) {
                    String flowId = path.substring("/api/certificates/".length());
                    if (!FLOW_ID.matcher(flowId).matches()) {
                        send(ctx, api.error(HttpResponseStatus.BAD_REQUEST, "not a flow id: " + flowId), keepAlive, head);
                    } else {
                        answerLater(ctx, () -> api.certificates(flowId), keepAlive, head);
                    }
                } else {
                    send(ctx, api.error(HttpResponseStatus.NOT_FOUND, "no such page: " + path
                            + " (try /, /api/events, /api/stream, /api/overview, /api/certificates/FLOW)"), keepAlive, head);
                }
            }
        }
    }

    /** Sends the stream's head and a hello, then lets an {@link SseHandler} own the connection. */
    private void startStream(ChannelHandlerContext ctx, HttpHeaders headers, QueryStringDecoder query) {
        long after = longParam(headers.get("last-event-id"), longParam(param(query, "after"), 0));
        if (after > hub.lastSeq()) {
            after = 0; // a page that knew an earlier run of the lab starts over
        }
        int backlog = intParam(query, "backlog", EventHub.DEFAULT_HISTORY, 0, EventHub.DEFAULT_HISTORY);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("x-content-type-options", "nosniff");
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.write(response);
        String hello = "retry: 2000\nevent: hello\ndata: {\"instance\":\"" + hub.instance() + "\",\"lastSeq\":" + hub.lastSeq()
                + ",\"replayFrom\":" + after + "}\n\n";
        ctx.writeAndFlush(new DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), hello)));
        ctx.pipeline().addLast("sse", new SseHandler(hub, after, backlog, streamQueueCapacity));
        ctx.pipeline().remove(this);
    }

    private void answerLater(ChannelHandlerContext ctx, Supplier<Answer> work, boolean keepAlive, boolean head) {
        try {
            CompletableFuture.supplyAsync(work, executor).whenComplete((answer, error) -> {
                if (error != null) {
                    log.warn("Dashboard request failed: {}", error.toString());
                    answer = api.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + error.getMessage());
                }
                send(ctx, answer, keepAlive, head);
            });
        } catch (RejectedExecutionException stopping) {
            send(ctx, api.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the lab is stopping"), false, head);
        }
    }

    /** Writes one whole answer; safe from any thread (Netty hands the write to the channel's event loop). */
    private static void send(ChannelHandlerContext ctx, Answer answer, boolean keepAlive, boolean head) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("x-content-type-options", "nosniff")
                .set("referrer-policy", "no-referrer");
        if (answer.contentType().startsWith("text/html")) {
            h.set("content-security-policy", CSP);
        }
        answer.headers().forEach(h::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private boolean hostAllowed(String host) {
        if (host == null) {
            return true; // HTTP/1.0 without Host: not a browser, so not a rebinding page
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else {
            int colon = h.indexOf(':');
            h = colon < 0 ? h : h.substring(0, colon);
        }
        return allowedHosts.contains(h);
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> v = query.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }

    private static int intParam(QueryStringDecoder query, String name, int fallback, int min, int max) {
        long v = longParam(param(query, name), fallback);
        return (int) Math.max(min, Math.min(max, v));
    }

    private static long longParam(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Dashboard connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
