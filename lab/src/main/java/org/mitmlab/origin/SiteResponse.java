package org.mitmlab.origin;

import java.nio.charset.StandardCharsets;

/** What a site answers: status, content type and body. */
public record SiteResponse(int status, String contentType, byte[] body) {
    public static SiteResponse html(int status, String html) {
        return new SiteResponse(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    public static SiteResponse json(int status, String json) {
        return new SiteResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
