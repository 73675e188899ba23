package org.mitmlab.trust;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.PkiException;

/** One NSS database (a directory with {@code cert9.db}): what Chromium on Linux and Firefox trust. */
public record NssDatabase(Path directory, Certutil certutil) {
    public NssDatabase {
        directory = directory.toAbsolutePath().normalize();
        Objects.requireNonNull(certutil, "certutil");
    }

    /** Whether {@code dir} holds an SQL-format NSS database. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve("cert9.db"));
    }

    /** Every certificate, by nickname (one nickname can hold several certificates). */
    public StoreContents read() {
        List<InstalledCertificate> out = new ArrayList<>();
        for (String nick : certutil.nicknames(directory)) {
            for (X509Certificate c : certificates(nick)) {
                out.add(new InstalledCertificate(nick, c));
            }
        }
        return new StoreContents(StoreKind.NSS_DB, directory, out);
    }

    public List<X509Certificate> certificates(String nickname) {
        try {
            return PemFiles.parseCertificates(certutil.exportPem(directory, nickname));
        } catch (PkiException e) {
            throw new TrustStoreException("certutil returned no readable certificate for '" + nickname + "' in " + directory, e);
        }
    }
}
