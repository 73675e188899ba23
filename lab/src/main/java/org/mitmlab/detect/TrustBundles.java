package org.mitmlab.detect;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The two root stores every observation is checked against.
 *
 * @param publicRoots  the public trust store (a browser's root store; the lab's public-roots.pem)
 * @param clientRoots  what the student's machine trusts ({@code --trust}; by default the lab's
 *                     roots-with-national.pem, a machine that installed the national root)
 */
public record TrustBundles(List<X509Certificate> publicRoots, List<X509Certificate> clientRoots) {
    public TrustBundles {
        publicRoots = List.copyOf(publicRoots);
        clientRoots = List.copyOf(clientRoots);
    }
}
