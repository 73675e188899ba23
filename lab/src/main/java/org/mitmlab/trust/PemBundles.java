package org.mitmlab.trust;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.PkiException;

/** Reads a PEM bundle such as Debian's /etc/ssl/certs/ca-certificates.crt. */
public final class PemBundles {
    private PemBundles() {
    }

    /** Every certificate of {@code file}, named "certificate N (SUBJECT)"; an empty bundle is allowed. */
    public static StoreContents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TrustStoreException(file + " is not a file");
        }
        List<InstalledCertificate> out = new ArrayList<>();
        try {
            String text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            int n = 0;
            for (var c : PemFiles.parseCertificates(text)) {
                n++;
                out.add(new InstalledCertificate("certificate " + n + " (" + c.getSubjectX500Principal().getName() + ")", c));
            }
        } catch (java.io.IOException | PkiException e) {
            throw new TrustStoreException("cannot read the PEM bundle " + file + ": " + e.getMessage(), e);
        }
        return new StoreContents(StoreKind.PEM_BUNDLE, file, out);
    }
}
