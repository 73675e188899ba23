package org.mitmlab.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ConnectionOpened;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HeaderField;
import org.mitmlab.event.HttpExchange;

/**
 * The recorded requests as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the format
 * browser devtools import: one entry per {@link HttpExchange}. What HAR has no field for goes into
 * {@code _mitmlab} (HAR's custom-field prefix is an underscore): the flow, the proxy's decision, the
 * client, the captured form fields, and the flow's forged certificate next to the genuine one.
 *
 * <p>Bodies are what the box kept: the form fields of a login POST and the first bytes of each
 * response ({@code content.text} is that preview, {@code content.size} the full size).
 */
public final class HarExport {
    public static final String HAR_VERSION = "1.2";

    private final ObjectMapper mapper;
    private final String creatorVersion;

    public HarExport(ObjectMapper mapper, String creatorVersion) {
        this.mapper = mapper;
        this.creatorVersion = creatorVersion;
    }

    /** The mitmlab version from the jar manifest, or "development build". */
    public static String currentVersion() {
        String v = HarExport.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The HAR document ({@code {"log": ...}}) of every http-exchange in {@code events}, in order. */
    public ObjectNode build(Iterable<? extends FlowEvent> events) {
        Map<String, CertificateForged> certificates = new HashMap<>();
        Map<String, DecisionMade> decisions = new HashMap<>();
        Map<String, String> clients = new HashMap<>();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode log = root.putObject("log");
        log.put("version", HAR_VERSION);
        ObjectNode creator = log.putObject("creator");
        creator.put("name", "mitmlab");
        creator.put("version", creatorVersion);
        log.putArray("pages");
        ArrayNode entries = log.putArray("entries");
        log.put("comment", "Requests as the mitmlab interceptor read them in clear text. Bodies are previews: "
                + "form fields of url-encoded requests, and the first bytes of each response.");
        for (FlowEvent e : events) {
            if (e instanceof ConnectionOpened o) {
                clients.put(o.flowId(), o.client());
            } else if (e instanceof DecisionMade d) {
                decisions.put(d.flowId(), d);
            } else if (e instanceof CertificateForged c) {
                certificates.put(c.flowId(), c);
            } else if (e instanceof HttpExchange x) {
                entries.add(entry(x, clients.get(x.flowId()), decisions.get(x.flowId()), certificates.get(x.flowId())));
            }
        }
        return root;
    }

    /** How many entries a document built by {@link #build} has. */
    public static int entryCount(ObjectNode har) {
        return har.path("log").path("entries").size();
    }

    private ObjectNode entry(HttpExchange x, String client, DecisionMade decision, CertificateForged certificate) {
        ObjectNode entry = mapper.createObjectNode();
        long millis = Math.round(x.durationMillis());
        Instant started = x.time().minus(millis, ChronoUnit.MILLIS);
        entry.put("startedDateTime", started.truncatedTo(ChronoUnit.MILLIS).toString());
        entry.put("time", x.durationMillis());
        entry.set("request", request(x));
        entry.set("response", response(x));
        entry.putObject("cache");
        ObjectNode timings = entry.putObject("timings");
        timings.put("blocked", -1);
        timings.put("dns", -1);
        timings.put("connect", -1);
        timings.put("ssl", -1);
        timings.put("send", 0);
        timings.put("wait", x.durationMillis()); // the tap sees the whole exchange, not its phases
        timings.put("receive", 0);
        entry.put("connection", x.flowId());

        ObjectNode custom = entry.putObject("_mitmlab");
        custom.put("flowId", x.flowId());
        custom.put("client", client);
        custom.put("decision", decision == null ? null : decision.decision().label());
        custom.put("sni", decision == null ? null : decision.sni());
        custom.put("protocol", x.protocol());
        ObjectNode form = custom.putObject("formFields");
        new TreeMap<>(x.formFields()).forEach(form::put);
        if (certificate != null) {
            ObjectNode c = custom.putObject("certificate");
            c.put("subject", certificate.subject());
            c.put("genuineIssuer", certificate.genuineIssuer());
            c.put("forgedIssuer", certificate.forgedIssuer());
            c.put("genuineSha256", certificate.genuineSha256());
            c.put("forgedSha256", certificate.forgedSha256());
            c.put("profile", certificate.profile());
            c.put("cached", certificate.cached());
            c.put("genuinePem", certificate.genuinePem());
            c.put("forgedPem", certificate.forgedPem());
        }
        return entry;
    }

    private ObjectNode request(HttpExchange x) {
        ObjectNode r = mapper.createObjectNode();
        r.put("method", x.method());
        r.put("url", x.scheme() + "://" + x.host() + (x.path().startsWith("/") ? x.path() : "/" + x.path()));
        r.put("httpVersion", httpVersion(x.protocol()));
        r.set("cookies", requestCookies(x.requestHeaders()));
        r.set("headers", headers(x.requestHeaders()));
        ArrayNode query = r.putArray("queryString");
        new QueryStringDecoder(x.path()).parameters().forEach((name, values) -> values.forEach(v -> {
            ObjectNode p = query.addObject();
            p.put("name", name);
            p.put("value", v);
        }));
        if (x.requestBytes() > 0 || !x.formFields().isEmpty()) {
            ObjectNode post = r.putObject("postData");
            String type = header(x.requestHeaders(), "content-type");
            post.put("mimeType", type == null ? "" : type);
            ArrayNode params = post.putArray("params");
            StringBuilder text = new StringBuilder();
            new TreeMap<>(x.formFields()).forEach((name, value) -> {
                ObjectNode p = params.addObject();
                p.put("name", name);
                p.put("value", value);
                if (text.length() > 0) {
                    text.append('&');
                }
                text.append(urlEncode(name)).append('=').append(urlEncode(value));
            });
            post.put("text", text.toString());
            if (x.formFields().isEmpty()) {
                post.put("comment", "the box kept only the size of this body (" + x.requestBytes() + " bytes)");
            }
        }
        r.put("headersSize", -1);
        r.put("bodySize", x.requestBytes());
        return r;
    }

    private ObjectNode response(HttpExchange x) {
        ObjectNode r = mapper.createObjectNode();
        r.put("status", x.status());
        r.put("statusText", x.status() > 0 ? HttpResponseStatus.valueOf(x.status()).reasonPhrase() : "");
        r.put("httpVersion", httpVersion(x.protocol()));
        r.set("cookies", responseCookies(x.responseHeaders()));
        r.set("headers", headers(x.responseHeaders()));
        ObjectNode content = r.putObject("content");
        content.put("size", x.responseBytes());
        String type = header(x.responseHeaders(), "content-type");
        content.put("mimeType", type == null ? "" : type);
        String encoding = header(x.responseHeaders(), "content-encoding");
        if (encoding == null || encoding.equalsIgnoreCase("identity")) {
            content.put("text", x.responsePreview() == null ? "" : x.responsePreview());
            if (x.responsePreview() != null && x.responsePreview().length() < x.responseBytes()) {
                content.put("comment", "preview: the first bytes of " + x.responseBytes() + " bytes");
            }
        } else {
            content.put("comment", "compressed (" + encoding + "): no preview");
        }
        String location = header(x.responseHeaders(), "location");
        r.put("redirectURL", location == null ? "" : location);
        r.put("headersSize", -1);
        r.put("bodySize", x.responseBytes());
        return r;
    }

    private ArrayNode headers(List<HeaderField> fields) {
        ArrayNode out = mapper.createArrayNode();
        for (HeaderField h : fields) {
            ObjectNode n = out.addObject();
            n.put("name", h.name());
            n.put("value", h.value());
        }
        return out;
    }

    private ArrayNode requestCookies(List<HeaderField> fields) {
        ArrayNode out = mapper.createArrayNode();
        for (HeaderField h : fields) {
            if (h.name().equalsIgnoreCase("cookie")) {
                for (String pair : h.value().split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        ObjectNode c = out.addObject();
                        c.put("name", pair.substring(0, eq).trim());
                        c.put("value", pair.substring(eq + 1).trim());
                    }
                }
            }
        }
        return out;
    }

    private ArrayNode responseCookies(List<HeaderField> fields) {
        ArrayNode out = mapper.createArrayNode();
        for (HeaderField h : fields) {
            if (h.name().equalsIgnoreCase("set-cookie")) {
                String first = h.value().split(";", 2)[0];
                int eq = first.indexOf('=');
                if (eq > 0) {
                    ObjectNode c = out.addObject();
                    c.put("name", first.substring(0, eq).trim());
                    c.put("value", first.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }

    private static String header(List<HeaderField> fields, String name) {
        for (HeaderField h : fields) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** "HTTP/2" as browsers write it in HAR files. */
    private static String httpVersion(String protocol) {
        if (protocol == null) {
            return "";
        }
        return protocol.toUpperCase(Locale.ROOT).equals("HTTP/2") ? "HTTP/2.0" : protocol;
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
