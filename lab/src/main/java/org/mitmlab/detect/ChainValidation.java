package org.mitmlab.detect;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a path from a presented chain to a root of a bundle, as a browser does: the leaf is the
 * first certificate, the others are only candidates (order and extras do not matter), revocation
 * is not checked and the host name is not compared. Pure: no I/O, the time is an argument.
 */
public final class ChainValidation {
    private ChainValidation() {
    }

    public static Validation validate(List<X509Certificate> presented, Collection<X509Certificate> roots, Instant at) {
        if (presented.isEmpty()) {
            return Validation.untrusted("no certificate was presented");
        }
        if (roots.isEmpty()) {
            return Validation.untrusted("the trust bundle is empty");
        }
        X509Certificate leaf = presented.get(0);
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(presented)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            return Validation.trustedBy(result.getTrustAnchor().getTrustedCert());
        } catch (CertPathBuilderException e) {
            return Validation.untrusted("no path from " + CertificateFacts.name(leaf.getIssuerX500Principal())
                    + " to a root of the bundle (" + e.getMessage() + ")");
        } catch (InvalidAlgorithmParameterException e) {
            return Validation.untrusted("cannot check the chain: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKIX path building is not available in this JDK", e);
        }
    }
}
