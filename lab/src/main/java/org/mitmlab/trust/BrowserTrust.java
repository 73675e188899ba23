package org.mitmlab.trust;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** The TLS client of a browser of August 2019, for the JDK HttpClient: installed roots, blocked keys. */
public final class BrowserTrust {
    private BrowserTrust() {
    }

    /** An SSLContext trusting exactly {@code trusted} and refusing every chain with a key in {@code blocked}. */
    public static SSLContext sslContext(List<X509Certificate> trusted, SpkiBlocklist blocked) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {BlocklistTrustManager.over(trusted, blocked)}, new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }
}
