package org.mitmlab.net;

import java.net.InetAddress;

/** Which addresses count as "this machine" or "a private network" for the lab's safety checks. */
public final class Loopback {
    private Loopback() {
    }

    public static boolean isLoopback(InetAddress address) {
        return address.isLoopbackAddress();
    }

    /** Loopback, RFC 1918, link-local and IPv6 unique-local addresses: never the public Internet. */
    public static boolean isLoopbackOrPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc; // fc00::/7
    }
}
