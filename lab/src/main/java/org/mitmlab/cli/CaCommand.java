package org.mitmlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mitmlab.pki.Fingerprint;
import org.mitmlab.pki.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mitmlab ca}: the national root certificate, for installing it in a client (the 2019 step). */
@Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The lab's national root certificate.", subcommands = CaCommand.Export.class)
public final class CaCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code mitmlab ca export}. */
    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Write the national root certificate (never its key) as PEM, DER or PKCS#12 (a trust store "
                    + "holding only that certificate, empty password), e.g. to install it in a browser or an OS trust store.")
    static final class Export implements Runnable {
        @Spec
        private CommandSpec spec;

        @Mixin
        private StateDirOption stateDir;

        @Option(names = "--format", defaultValue = "pem", paramLabel = "pem|der|p12",
                description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
        private Format format;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it.")
        private Path out;

        enum Format { pem, der, p12 }

        @Override
        public void run() {
            X509Certificate root = stateDir.nationalRoot(spec.commandLine().getOut());
            byte[] encoded;
            try {
                encoded = encode(root);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot encode the national root as " + format, e);
            }
            OutputFile.write(out, "--out", "national-root." + format, OutputFile.Readers.EVERYONE, file -> Files.write(file, encoded));
            spec.commandLine().getOut().println("Wrote the national root (" + format + ") to " + out
                    + "\n  SHA-256 " + Fingerprint.of(root).colonHex()
                    + "\n  expires " + root.getNotAfter().toInstant());
        }

        private byte[] encode(X509Certificate root) throws IOException, GeneralSecurityException {
            switch (format) {
                case der:
                    return root.getEncoded();
                case p12: {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    ks.load(null, null);
                    ks.setCertificateEntry("qaznet-trust-network-lab", root);
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    ks.store(b, new char[0]);
                    return b.toByteArray();
                }
                default:
                    return PemFiles.toPem(List.of(root)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
    }
}
