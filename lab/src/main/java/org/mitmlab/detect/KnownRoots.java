package org.mitmlab.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mitmlab.pki.Fingerprint;

/**
 * CA keys known to be used for interception, by SPKI SHA-256: what browsers block. The shipped list
 * ({@code known-interception-roots.tsv}) holds the 2019 Qaznet root and intermediate and the ISCA roots
 * of 2020 and later (docs/kazakhstan-2019.md, section 2); the lab adds its own national root with
 * {@link #with}.
 */
public record KnownRoots(List<KnownRoot> roots) {
    static final String RESOURCE = "known-interception-roots.tsv";

    public KnownRoots {
        roots = List.copyOf(roots);
    }

    /** The list shipped in the jar. */
    public static KnownRoots shipped() {
        InputStream in = KnownRoots.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing data file in the jar: " + RESOURCE);
        }
        return parse(in, RESOURCE);
    }

    public static KnownRoots none() {
        return new KnownRoots(List.of());
    }

    /** Reads {@code spki-sha256-hex TAB certificate TAB source} lines; '#' starts a comment line. */
    public static KnownRoots parse(InputStream in, String what) {
        List<KnownRoot> out = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new IllegalArgumentException(what + ":" + lineNo + ": expected 3 tab-separated columns");
                }
                try {
                    out.add(new KnownRoot(new Fingerprint(f[0].trim()), f[1].trim(), f[2].trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(what + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KnownRoots(out);
    }

    /** This list plus {@code certificate}'s key, named and sourced. */
    public KnownRoots with(X509Certificate certificate, String name, String source) {
        List<KnownRoot> more = new ArrayList<>(roots);
        more.add(new KnownRoot(Fingerprint.spkiOf(certificate), name, source));
        return new KnownRoots(more);
    }

    public Optional<KnownRoot> find(Fingerprint spki) {
        return roots.stream().filter(r -> r.spki().equals(spki)).findFirst();
    }

    /**
     * One listed key.
     *
     * @param spki   SHA-256 of the SubjectPublicKeyInfo
     * @param name   the certificate it belongs to
     * @param source where the value comes from
     */
    public record KnownRoot(Fingerprint spki, String name, String source) {
        public KnownRoot {
            Objects.requireNonNull(spki, "spki");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
        }
    }
}
