package org.mitmlab.origin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mitmlab.domains.LabSite;

/**
 * The content of every lab site: a page that names the service, a login form whose POST an
 * interceptor can read, and a small JSON API. Pure: request in, response out.
 *
 * <ul>
 *   <li>{@code GET /} the home page with the login form</li>
 *   <li>{@code POST /login} (form: username, password) a "signed in" page; the password is never echoed</li>
 *   <li>{@code GET /api/status} JSON: service, host, operator, time</li>
 * </ul>
 */
public final class SiteContent {
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public SiteContent(Clock clock) {
        this.clock = clock;
    }

    public SiteResponse respond(LabSite site, String method, String path, String contentType, String body) {
        String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return switch (route) {
            case "/", "/index.html" -> method.equals("GET") || method.equals("HEAD")
                    ? SiteResponse.html(200, homePage(site)) : methodNotAllowed();
            case "/login" -> method.equals("POST") ? login(site, contentType, body)
                    : method.equals("GET") ? SiteResponse.html(200, homePage(site)) : methodNotAllowed();
            case "/api/status" -> SiteResponse.json(200, status(site));
            case "/robots.txt" -> new SiteResponse(200, "text/plain", "User-agent: *\nDisallow:\n".getBytes(StandardCharsets.UTF_8));
            default -> SiteResponse.html(404, page(site, "Not found", "<p>There is no page " + escape(route) + " on "
                    + escape(site.name()) + ".</p>"));
        };
    }

    private SiteResponse login(LabSite site, String contentType, String body) {
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return SiteResponse.html(415, page(site, "Unsupported form", "<p>Send the login form as application/x-www-form-urlencoded.</p>"));
        }
        Map<String, String> form = parseForm(body);
        String user = form.getOrDefault("username", "");
        if (user.isBlank() || form.getOrDefault("password", "").isEmpty()) {
            return SiteResponse.html(400, page(site, "Sign-in failed", "<p>Enter a username and a password.</p>"));
        }
        return SiteResponse.html(200, page(site, "Signed in",
                "<p class=\"ok\">Signed in to " + escape(site.service()) + " as <b>" + escape(user) + "</b>.</p>"
                        + "<p>Your password travelled inside TLS. Whether anyone else read it depends on who holds the"
                        + " certificate your browser accepted.</p>"));
    }

    private String status(LabSite site) {
        ObjectNode n = json.createObjectNode();
        n.put("service", site.service());
        n.put("host", site.name());
        n.put("operator", site.operator());
        n.put("role", site.role().name().toLowerCase(java.util.Locale.ROOT));
        n.put("time", clock.instant().toString());
        n.put("simulated", true);
        return n.toString();
    }

    private String homePage(LabSite site) {
        return page(site, site.service(),
                "<p>Welcome to <b>" + escape(site.service()) + "</b> (" + escape(site.name()) + "), operated by "
                        + escape(site.operator()) + ". This is a page of the mitmlab simulated Internet.</p>"
                        + "<form method=\"post\" action=\"/login\">"
                        + "<label>Username <input name=\"username\" autocomplete=\"username\"></label> "
                        + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label> "
                        + "<button type=\"submit\">Sign in</button></form>"
                        + "<p><a href=\"/api/status\">/api/status</a></p>");
    }

    private static String page(LabSite site, String title, String content) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " - "
                + escape(site.name()) + "</title>"
                + "<style>body{font:18px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}"
                + "h1{font-size:1.8rem}.lab{color:#666;font-size:.9rem}.ok{color:#0a6b2d}</style></head>"
                + "<body><h1>" + escape(title) + "</h1>" + content
                + "<p class=\"lab\">mitmlab site " + escape(site.name()) + " &middot; genuine server</p></body></html>\n";
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                out.putIfAbsent(k, v);
            }
        }
        return out;
    }

    private static SiteResponse methodNotAllowed() {
        return new SiteResponse(405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
