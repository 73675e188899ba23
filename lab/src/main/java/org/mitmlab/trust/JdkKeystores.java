package org.mitmlab.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a JDK trust store ({@code cacerts}, or any PKCS#12 or JKS file) by its trusted certificate entries. */
public final class JdkKeystores {
    /** The password every JDK ships cacerts with. */
    public static final String DEFAULT_PASSWORD = "changeit";

    private JdkKeystores() {
    }

    public static StoreContents read(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new TrustStoreException(file + " is not a file");
        }
        List<InstalledCertificate> out = new ArrayList<>();
        try {
            // getInstance(File, ...) recognises PKCS#12 and JKS by their content
            KeyStore ks = KeyStore.getInstance(file.toFile(), password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isCertificateEntry(alias)) { // key entries are identities, not trust anchors
                    Certificate c = ks.getCertificate(alias);
                    if (c instanceof X509Certificate x) {
                        out.add(new InstalledCertificate(alias, x));
                    }
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new TrustStoreException("cannot read the keystore " + file + ": " + e.getMessage(), e);
        }
        return new StoreContents(StoreKind.JDK_KEYSTORE, file, out);
    }
}
