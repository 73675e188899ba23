package org.mitmlab.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mitmlab.detect.KnownRoots;
import org.mitmlab.detect.KnownRoots.KnownRoot;
import org.mitmlab.pki.Fingerprint;

/**
 * Finds known interception CAs among installed certificates by SPKI SHA-256, not by name: a national
 * root can be re-issued under another subject with the same key, and anyone can name a CA "Qaznet
 * Trust Network". This is also how Chromium blocked the 2019 root (kSPKIBlockList).
 */
public record RootMatcher(KnownRoots known) {
    public Optional<KnownRoot> match(InstalledCertificate installed) {
        return known.find(Fingerprint.spkiOf(installed.certificate()));
    }

    public List<TrustFinding> findings(StoreContents store) {
        List<TrustFinding> out = new ArrayList<>();
        for (InstalledCertificate c : store.certificates()) {
            match(c).ifPresent(root -> out.add(new TrustFinding(store.kind(), store.location(), c.entry(), root)));
        }
        return out;
    }
}
