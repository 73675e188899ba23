package org.mitmlab.pki;

import java.security.KeyPair;

/**
 * Where a forged leaf's key pair comes from. The proxy uses a {@link KeyPool} (a fresh key per leaf,
 * searched ahead of time); a throw-away proxy that only warms the JIT can hand out one key for every leaf.
 */
@FunctionalInterface
public interface LeafKeys {
    /** A key pair for the next forged leaf; may block while one is generated. */
    KeyPair take();
}
