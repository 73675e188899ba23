package org.mitmlab.trust;

/** A trust store could not be read or changed; the message names the store and what went wrong. */
public final class TrustStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrustStoreException(String message) {
        super(message);
    }

    public TrustStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
