package org.mitmlab.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request and its response, as the interceptor read them in clear text.
 *
 * @param protocol       "HTTP/1.1" or "HTTP/2"
 * @param requestBytes   request body size in bytes
 * @param responseBytes  response body size in bytes
 * @param formFields     fields of an application/x-www-form-urlencoded request body: what the box
 *                       operator reads from a login form (values size-capped)
 * @param responsePreview the first bytes of the response body as text (size-capped)
 */
public record HttpExchange(String flowId, Instant time, String protocol, String method, String scheme,
        String host, String path, int status, long requestBytes, long responseBytes,
        List<HeaderField> requestHeaders, List<HeaderField> responseHeaders, Map<String, String> formFields,
        String responsePreview, double durationMillis) implements FlowEvent {
    public HttpExchange {
        requestHeaders = List.copyOf(requestHeaders);
        responseHeaders = List.copyOf(responseHeaders);
        formFields = Map.copyOf(formFields);
    }
}
