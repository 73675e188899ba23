package org.mitmlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mitmlab.event.HeaderField;
import org.mitmlab.event.HttpExchange;

/**
 * Collects one request/response pair as the taps see it, with bounded memory: bodies are counted,
 * and only a form body (up to {@value #FORM_CAPTURE_BYTES} bytes) and a response preview (up to
 * {@value #PREVIEW_BYTES} bytes) are kept.
 */
final class ExchangeBuilder {
    static final int FORM_CAPTURE_BYTES = 8 * 1024;
    static final int PREVIEW_BYTES = 512;
    static final int MAX_FIELD_CHARS = 200;
    static final int MAX_HEADERS = 64;

    private final Clock clock;
    private final long startNanos = System.nanoTime();
    private final String method;
    private final String scheme;
    private final String host;
    private final String path;
    private final List<HeaderField> requestHeaders;
    private final boolean formBody;
    private final ByteArrayOutputStream form = new ByteArrayOutputStream();
    private long requestBytes;
    private int status;
    private List<HeaderField> responseHeaders = List.of();
    private final ByteArrayOutputStream preview = new ByteArrayOutputStream();
    private long responseBytes;

    private ExchangeBuilder(Clock clock, String method, String scheme, String host, String path,
            List<HeaderField> requestHeaders, String contentType) {
        this.clock = clock;
        this.method = method;
        this.scheme = scheme;
        this.host = host;
        this.path = path;
        this.requestHeaders = requestHeaders;
        this.formBody = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded");
    }

    static ExchangeBuilder fromHttp1(HttpRequest request, String scheme, String fallbackHost, Clock clock) {
        String host = withoutPort(request.headers().get("host", fallbackHost));
        String path = request.uri();
        if (path.startsWith("http://") || path.startsWith("https://")) {
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return new ExchangeBuilder(clock, request.method().name(), scheme, host, path, headers(request.headers()),
                request.headers().get("content-type"));
    }

    static ExchangeBuilder fromHttp2(Http2Headers headers, String fallbackHost, Clock clock) {
        CharSequence authority = headers.authority();
        CharSequence ct = headers.get("content-type");
        return new ExchangeBuilder(clock, String.valueOf(headers.method()), String.valueOf(headers.scheme()),
                authority == null ? fallbackHost : withoutPort(authority.toString()),
                String.valueOf(headers.path()), headers(headers), ct == null ? null : ct.toString());
    }

    /** "vk.com:443" to "vk.com"; leaves IPv6 literals ("[::1]") and port-less names alone. Runs per request: no regex. */
    static String withoutPort(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(']') > colon) {
            return authority;
        }
        for (int i = colon + 1; i < authority.length(); i++) {
            if (!Character.isDigit(authority.charAt(i))) {
                return authority;
            }
        }
        return colon + 1 < authority.length() ? authority.substring(0, colon) : authority;
    }

    void requestBody(ByteBuf content) {
        int n = content.readableBytes();
        requestBytes += n;
        if (formBody) {
            copyInto(form, content, FORM_CAPTURE_BYTES);
        }
    }

    void response(int status, HttpHeaders headers, ByteBuf body) {
        this.status = status;
        this.responseHeaders = headers(headers);
        if (body != null) {
            responseBody(body);
        }
    }

    void response(int status, Http2Headers headers) {
        this.status = status;
        this.responseHeaders = headers(headers);
    }

    void responseBody(ByteBuf content) {
        responseBytes += content.readableBytes();
        copyInto(preview, content, PREVIEW_BYTES);
    }

    boolean hasResponse() {
        return status != 0;
    }

    HttpExchange build(FlowContext flow, String protocol) {
        return new HttpExchange(flow.flowId(), clock.instant(), protocol, method, scheme, host, path, status,
                requestBytes, responseBytes, requestHeaders, responseHeaders, formFields(),
                new String(preview.toByteArray(), StandardCharsets.UTF_8), (System.nanoTime() - startNanos) / 1_000_000.0);
    }

    private Map<String, String> formFields() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!formBody || form.size() == 0) {
            return out;
        }
        for (String pair : form.toString(StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // keep the raw text: the box operator would see it as it was sent
            }
            if (!k.isEmpty() && out.size() < MAX_HEADERS) {
                out.putIfAbsent(cap(k), cap(v));
            }
        }
        return out;
    }

    private static String cap(String s) {
        return s.length() <= MAX_FIELD_CHARS ? s : s.substring(0, MAX_FIELD_CHARS) + "...";
    }

    private static void copyInto(ByteArrayOutputStream out, ByteBuf content, int limit) {
        int room = limit - out.size();
        if (room > 0) {
            int n = Math.min(room, content.readableBytes());
            byte[] b = new byte[n];
            content.getBytes(content.readerIndex(), b);
            out.write(b, 0, n);
        }
    }

    private static List<HeaderField> headers(HttpHeaders headers) {
        List<HeaderField> out = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (out.size() == MAX_HEADERS) {
                break;
            }
            out.add(new HeaderField(e.getKey().toLowerCase(java.util.Locale.ROOT), cap(e.getValue())));
        }
        return out;
    }

    private static List<HeaderField> headers(Http2Headers headers) {
        List<HeaderField> out = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            if (out.size() == MAX_HEADERS) {
                break;
            }
            out.add(new HeaderField(e.getKey().toString(), cap(e.getValue().toString())));
        }
        return out;
    }
}
