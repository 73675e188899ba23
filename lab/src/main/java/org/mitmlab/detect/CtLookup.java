package org.mitmlab.detect;

import java.util.List;
import java.util.Objects;

/**
 * What a Certificate Transparency log answered when asked for the certificates of a name
 * (like a crt.sh query), or why it could not be asked.
 *
 * @param log      the log's name and address
 * @param name     the DNS name looked up
 * @param entries  the certificates logged for that name
 * @param failure  why the log gave no answer (null when it did)
 */
public record CtLookup(String log, String name, List<CtEntry> entries, String failure) {
    public CtLookup {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(name, "name");
        entries = List.copyOf(entries);
    }

    public static CtLookup answered(String log, String name, List<CtEntry> entries) {
        return new CtLookup(log, name, entries, null);
    }

    public static CtLookup failed(String log, String name, String failure) {
        return new CtLookup(log, name, List.of(), Objects.requireNonNull(failure, "failure"));
    }

    public boolean answered() {
        return failure == null;
    }
}
