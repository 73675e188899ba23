package org.mitmlab.proxy;

import java.util.function.Predicate;
import org.mitmlab.domains.HostNames;

/**
 * The intercept / pass-through / refuse decision, as a pure function (table-tested).
 *
 * <p>Like the 2019 box, the trigger is the SNI: a connection is intercepted when its ClientHello
 * names a targeted host, whatever address it was going to. The route (where bytes go) is the
 * CONNECT host in explicit-proxy mode and the SNI in TLS-straight-in mode. A route outside the lab
 * is always refused: the proxy is never an open relay.
 */
public final class InterceptionPolicy {
    /** The only port the lab intercepts or relays TLS on, as in 2019. */
    public static final int HTTPS_PORT = 443;

    private final Predicate<String> targeted;
    private final Predicate<String> insideLab;

    /**
     * @param targeted  true for names whose SNI triggers interception
     * @param insideLab true for names the proxy may route to at all
     */
    public InterceptionPolicy(Predicate<String> targeted, Predicate<String> insideLab) {
        this.targeted = targeted;
        this.insideLab = insideLab;
    }

    /** Checks a CONNECT line before any TLS: null when acceptable, else the refusal. */
    public Verdict.Refuse checkConnect(String host, int port) {
        if (port != HTTPS_PORT) {
            return new Verdict.Refuse("CONNECT to port " + port + " refused: the lab relays HTTPS on port 443 only");
        }
        if (HostNames.normalize(host).isEmpty()) {
            return new Verdict.Refuse("CONNECT to '" + host + "' refused: not a host name");
        }
        if (!insideLab.test(HostNames.normalize(host).get())) {
            return new Verdict.Refuse(outside(host));
        }
        return null;
    }

    /**
     * @param sni         the ClientHello's server name, or null when it had none
     * @param connectHost the CONNECT host (explicit mode), or null (TLS straight in)
     */
    public Verdict decide(String sni, String connectHost) {
        String sniName = sni == null ? null : HostNames.normalize(sni).orElse(null);
        String route = connectHost != null ? HostNames.normalize(connectHost).orElse(null) : sniName;
        if (route == null) {
            if (connectHost != null) {
                return Verdict.refuse("CONNECT host is not a host name");
            }
            return Verdict.refuse(sni == null
                    ? "no SNI in the ClientHello: the proxy routes TLS by name and cannot tell where to go"
                    : "the SNI '" + sni + "' is not a valid host name: the proxy cannot route it");
        }
        if (!insideLab.test(route)) {
            return Verdict.refuse(outside(route));
        }
        if (sniName != null && targeted.test(sniName)) {
            return Verdict.intercept(sniName, route);
        }
        return Verdict.passThrough(route);
    }

    private static String outside(String host) {
        return host + " is outside the lab: mitmlab never relays to the real Internet";
    }
}
