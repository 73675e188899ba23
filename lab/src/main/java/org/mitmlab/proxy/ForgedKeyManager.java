package org.mitmlab.proxy;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import org.mitmlab.pki.ForgedLeaf;

/**
 * Lets one TLS server context serve every forged leaf: each client-facing engine is told its leaf
 * before its handshake ({@link #assign}), and the context asks for it by engine. Building a server
 * context per forged name cost 10-30 ms (a native SSL_CTX, key material through a PKCS#12 store),
 * all of it on the path of a name's first visit; choosing the key per handshake costs nothing.
 */
final class ForgedKeyManager extends X509ExtendedKeyManager {
    private static final int MAX_ALIASES = 10_000;

    /** True when {@link ForgedLeafSigner} signs the handshakes: BoringSSL is then given no key to convert. */
    private final boolean signedOutside;

    private final Map<SSLEngine, String> pending = new ConcurrentHashMap<>();
    private final Map<String, ForgedLeaf> byAlias = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ForgedLeaf> eldest) {
            return size() > MAX_ALIASES;
        }
    };

    /**
     * @param signedOutside true when the context signs its handshakes with a {@link ForgedLeafSigner};
     *                      the leaves' keys are then not handed to BoringSSL
     */
    ForgedKeyManager(boolean signedOutside) {
        this.signedOutside = signedOutside;
    }

    /** The key manager as a factory, for SslContextBuilder. */
    SimpleKeyManagerFactory factory() {
        ForgedKeyManager self = this;
        return new SimpleKeyManagerFactory() {
            @Override
            protected void engineInit(java.security.KeyStore keyStore, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters params) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {self};
            }
        };
    }

    /** The leaf {@code engine} presents in its coming handshake; call {@link #release} when it is over. */
    void assign(SSLEngine engine, ForgedLeaf leaf) {
        String alias = aliasOf(leaf);
        synchronized (byAlias) {
            byAlias.put(alias, leaf);
        }
        pending.put(engine, alias);
    }

    void release(SSLEngine engine) {
        pending.remove(engine);
    }

    /** One alias per forged leaf: the same name with a re-issued genuine certificate is another leaf. */
    static String aliasOf(ForgedLeaf leaf) {
        return leaf.name() + "#" + leaf.genuine().sha256Hex();
    }

    /** The leaf assigned to {@code engine}'s handshake, or null when it has none (or it is over). */
    ForgedLeaf assigned(SSLEngine engine) {
        String alias = pending.get(engine);
        return alias == null ? null : leaf(alias);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String alias = pending.get(engine);
        ForgedLeaf leaf = alias == null ? null : leaf(alias);
        return leaf != null && keyType != null && keyType.startsWith(leaf.key().getAlgorithm()) ? alias : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null; // only engines are used
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ForgedLeaf leaf = leaf(alias);
        return leaf == null ? null : leaf.chain().toArray(X509Certificate[]::new);
    }

    /** Null when the handshakes are signed outside BoringSSL: Netty then converts no key (a PEM round trip per handshake). */
    @Override
    public PrivateKey getPrivateKey(String alias) {
        ForgedLeaf leaf = signedOutside ? null : leaf(alias);
        return leaf == null ? null : leaf.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    private ForgedLeaf leaf(String alias) {
        synchronized (byAlias) {
            return byAlias.get(alias);
        }
    }
}
