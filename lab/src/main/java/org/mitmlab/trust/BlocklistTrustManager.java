package org.mitmlab.trust;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.pki.Fingerprint;

/**
 * A browser's trust decision after 21 August 2019: ordinary PKIX over a list of trusted certificates
 * (host name check included, as the JDK does it), and then a refusal of any chain that contains a
 * blocked key, whether the server sent that certificate or the path reached it as the trust anchor
 * (the interception root is installed, never sent). Chromium checks the same two places.
 */
public final class BlocklistTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<TrustAnchor> anchors;
    private final SpkiBlocklist blocked;

    private BlocklistTrustManager(X509ExtendedTrustManager pkix, List<X509Certificate> trusted, SpkiBlocklist blocked) {
        this.pkix = pkix;
        this.anchors = trusted.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
        this.blocked = Objects.requireNonNull(blocked, "blocked");
    }

    /** Trusts exactly {@code trusted}, minus any chain with a key in {@code blocked}. */
    public static BlocklistTrustManager over(List<X509Certificate> trusted, SpkiBlocklist blocked) {
        for (TrustManager tm : TlsContexts.trustManagers(trusted).getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new BlocklistTrustManager(x, List.copyOf(trusted), blocked);
            }
        }
        throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager for PKIX");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        guarded(chain, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        guarded(chain, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        guarded(chain, () -> pkix.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        guarded(chain, () -> pkix.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        guarded(chain, () -> pkix.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        guarded(chain, () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /** A PKIX check that may throw, as the trust manager methods do. */
    private interface PkixCheck {
        void run() throws CertificateException;
    }

    /** The chain as presented, then PKIX (hostname included), then the path PKIX built up to its anchor. */
    private void guarded(X509Certificate[] chain, PkixCheck pkixCheck) throws CertificateException {
        refuseBlocked(chain);
        pkixCheck.run();
        refuseBlocked(built(chain));
    }

    private void refuseBlocked(X509Certificate[] chain) throws CertificateException {
        refuseBlocked(Arrays.asList(chain));
    }

    private void refuseBlocked(List<X509Certificate> chain) throws CertificateException {
        var hit = blocked.firstBlocked(chain);
        if (hit.isPresent()) {
            X509Certificate c = hit.get();
            throw new CertificateException("certificate chain contains a blocked key (SPKI SHA-256 "
                    + Fingerprint.spkiOf(c).sha256Hex() + ", " + c.getSubjectX500Principal().getName()
                    + "): the browser blocks this interception root even though it is installed");
        }
    }

    /**
     * The path PKIX builds from {@code chain} to one of the trusted certificates, anchor included.
     * Called after the delegate accepted the chain, so a path exists; if the builder still finds
     * none, the presented chain alone was checked.
     */
    private List<X509Certificate> built(X509Certificate[] chain) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(chain[0]);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(Arrays.asList(chain))));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> path = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            path.add(result.getTrustAnchor().getTrustedCert());
            return path;
        } catch (GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }
}
