package org.mitmlab.pki;

import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;

/** Where the proxy gets forged leaves: one {@link ForgeryCache}, or one per phase of a scenario's timeline. */
public interface Forgeries {
    /** The forged leaf for {@code name} copying {@code genuine}; never blocks the caller. */
    CompletableFuture<ForgeryCache.Minted> forge(String name, X509Certificate genuine);

    /** The name of the forgery profile in force now, for events. */
    String profileName();

    /**
     * Who signs the forged leaves; their keys are in its form, so the proxy signs their handshakes
     * with it too.
     */
    SignatureProvider signatures();
}
