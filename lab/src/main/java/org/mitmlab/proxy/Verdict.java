package org.mitmlab.proxy;

/** What the proxy does with one connection; see {@link InterceptionPolicy}. */
public sealed interface Verdict {
    /** Terminate TLS with a forged certificate for {@code sni}. */
    record Intercept(String sni, String route) implements Verdict {
    }

    /** Relay bytes untouched to {@code route}. */
    record PassThrough(String route) implements Verdict {
    }

    /** Do not connect anywhere; {@code reason} is shown to the client and in events. */
    record Refuse(String reason) implements Verdict {
    }

    static Verdict intercept(String sni, String route) {
        return new Intercept(sni, route);
    }

    static Verdict passThrough(String route) {
        return new PassThrough(route);
    }

    static Verdict refuse(String reason) {
        return new Refuse(reason);
    }
}
