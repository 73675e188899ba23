package org.mitmlab.pki;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which real national root the lab's root imitates (docs/kazakhstan-2019.md, section 2). Each style
 * fixes the names and extensions; keys, serials and validity are always the lab's own.
 */
public enum RootStyle {
    /** The 2019 "Qaznet Trust Network" root and its "Security Certificate" intermediate. */
    QAZNET_2019("qaznet-2019", "Qaznet Trust Network"),
    /**
     * The December 2020 drill root "Information Security Certification Authority CA" (ISCA). The
     * issuing intermediate is the lab's invention: the sources do not document who signed 2020 leaves.
     */
    ISCA_2020("isca-2020", "Information Security Certification Authority CA");

    private final String id;
    private final String rootCommonName;

    RootStyle(String id, String rootCommonName) {
        this.id = id;
        this.rootCommonName = rootCommonName;
    }

    /** The short name scenarios and the CLI use ("qaznet-2019"). */
    public String id() {
        return id;
    }

    /** The common name of the root's subject. */
    public String rootCommonName() {
        return rootCommonName;
    }

    /** The style named {@code id}, ignoring case. */
    public static RootStyle byId(String id) {
        for (RootStyle s : values()) {
            if (s.id.equals(id == null ? null : id.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown national root style '" + id + "': expected one of "
                + Arrays.stream(values()).map(RootStyle::id).collect(Collectors.joining(", ")));
    }
}
