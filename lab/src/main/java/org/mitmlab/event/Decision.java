package org.mitmlab.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the proxy did with a connection. */
public enum Decision {
    INTERCEPT("intercept"),
    PASS_THROUGH("pass-through"),
    REFUSE("refuse"),
    /** Plain HTTP (absolute-form request) relayed by the proxy; nothing to decrypt. */
    PLAIN_HTTP("plain-http");

    private final String label;

    Decision(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
