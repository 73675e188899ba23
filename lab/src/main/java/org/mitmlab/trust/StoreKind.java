package org.mitmlab.trust;

/** The kinds of trust store {@code trust check} reads, with the words its output uses for them. */
public enum StoreKind {
    JDK_KEYSTORE("jdk-keystore", "JDK keystore"),
    PEM_BUNDLE("pem-bundle", "system bundle"),
    NSS_DB("nss-db", "NSS database");

    private final String id;
    private final String label;

    StoreKind(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** Short machine name, used in JSON. */
    public String id() {
        return id;
    }

    /** What a person calls it. */
    public String label() {
        return label;
    }
}
