package org.mitmlab.net;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.mitmlab.pki.PkiException;

/**
 * Builds the lab's SslContexts with one provider choice: OpenSSL (BoringSSL) if it loads, else the JDK.
 * {@link #withKeyLog} gives contexts that write every session's secrets to a {@link KeyLogFile}.
 */
public final class TlsContexts {
    public static final List<String> H2_AND_HTTP11 = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    private static final String[] CLASSIC_GROUPS = {"X25519", "P-256", "P-384"};

    private final SslProvider provider;
    private final KeyLogFile keyLog;
    private final int rememberedChains;

    public TlsContexts(boolean preferOpenSsl) {
        this(preferOpenSsl && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK, null,
                RememberingServerTrust.CAPACITY);
    }

    private TlsContexts(SslProvider provider, KeyLogFile keyLog, int rememberedChains) {
        this.provider = provider;
        this.keyLog = keyLog;
        this.rememberedChains = rememberedChains;
    }

    /**
     * The same, but client contexts built from the result remember at most {@code chains} accepted
     * chains (see {@link #client}). The warm-up remembers one, so that its visits to sites in turn
     * keep meeting chains the JDK has to check, as a proxy's first visits do.
     */
    public TlsContexts rememberingAtMost(int chains) {
        if (chains < 1) {
            throw new IllegalArgumentException("chains must be at least 1: " + chains);
        }
        return new TlsContexts(provider, keyLog, chains);
    }

    /** True when {@link #withKeyLog} works: only BoringSSL hands out TLS 1.3 secrets. */
    public boolean supportsKeyLog() {
        return provider == SslProvider.OPENSSL;
    }

    /** True when a server context can have its handshakes signed outside the TLS library (BoringSSL only). */
    public boolean supportsOutsideSigning() {
        return provider == SslProvider.OPENSSL;
    }

    /**
     * The same provider, but every context built from the result logs its sessions' secrets to
     * {@code keyLog}. Netty 4.2.18 has no key log option of its own; netty-tcnative does
     * ({@code SSL_CTX_set_keylog_callback}), on the native context. The JDK provider cannot do it:
     * it exposes no TLS 1.3 traffic secrets (Netty's {@code SslMasterKeyHandler} reads only the
     * TLS 1.2 master secret, by reflection).
     *
     * @throws IllegalStateException when the provider is the JDK's
     */
    public TlsContexts withKeyLog(KeyLogFile keyLog) {
        if (!supportsKeyLog()) {
            throw new IllegalStateException("a TLS key log needs the OpenSSL (BoringSSL) provider of netty-tcnative, "
                    + "which did not load; the JDK provider does not expose TLS 1.3 secrets");
        }
        return new TlsContexts(provider, java.util.Objects.requireNonNull(keyLog, "keyLog"), rememberedChains);
    }

    public SslProvider provider() {
        return provider;
    }

    public String providerName() {
        return provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /**
     * A server context for {@code chain} (leaf first) offering the given ALPN protocols in order of
     * preference; an empty list means no ALPN.
     */
    public SslContext server(PrivateKey key, List<X509Certificate> chain, List<String> alpn) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(provider)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(alpnConfig(alpn));
            }
            return logKeys(b.build());
        } catch (SSLException e) {
            throw new PkiException("cannot build a TLS server context for " + chain.get(0).getSubjectX500Principal(), e);
        }
    }

    /**
     * A server context whose key and chain come from {@code keys} per handshake (the proxy's forged
     * leaves). With OpenSSL, Netty keeps the last converted key material; its per-alias cache
     * (OpenSslCachingX509KeyManagerFactory) is not used: when two event loops met a new alias at the
     * same moment it kept one reference too many, which the leak detector reported.
     */
    public SslContext server(javax.net.ssl.KeyManagerFactory keys, List<String> alpn) {
        return server(keys, alpn, true);
    }

    /**
     * The same; with {@code resumption} false the context keeps no session cache, and each of its
     * handlers must also go through {@link #withoutTickets}: every client handshake is then a full
     * one. BoringSSL only: the JDK's TLS 1.3 tickets cannot be turned off per context.
     *
     * @throws IllegalStateException when resumption is to be off and the provider is the JDK's
     */
    public SslContext server(javax.net.ssl.KeyManagerFactory keys, List<String> alpn, boolean resumption) {
        return server(keys, alpn, resumption, null);
    }

    /**
     * The same; with a {@code signer}, BoringSSL asks it for every handshake's signature instead of
     * signing with the key {@code keys} give (which may then give none).
     *
     * @throws IllegalStateException when resumption is to be off or a signer is given, and the provider is the JDK's
     */
    public SslContext server(javax.net.ssl.KeyManagerFactory keys, List<String> alpn, boolean resumption,
            io.netty.handler.ssl.OpenSslPrivateKeyMethod signer) {
        if (signer != null && provider != SslProvider.OPENSSL) {
            throw new IllegalStateException("signing handshakes outside the TLS library needs the OpenSSL (BoringSSL) provider "
                    + "of netty-tcnative, which did not load");
        }
        if (!resumption && provider != SslProvider.OPENSSL) {
            throw new IllegalStateException("turning TLS session resumption off needs the OpenSSL (BoringSSL) provider "
                    + "of netty-tcnative, which did not load");
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(keys)
                    .sslProvider(provider)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(alpnConfig(alpn));
            }
            if (signer != null) {
                b.option(io.netty.handler.ssl.OpenSslContextOption.PRIVATE_KEY_METHOD, signer);
            }
            SslContext ctx = logKeys(b.build());
            if (!resumption) {
                ((io.netty.handler.ssl.OpenSslSessionContext) ctx.sessionContext()).setSessionCacheEnabled(false);
            }
            return ctx;
        } catch (SSLException e) {
            throw new PkiException("cannot build the TLS server context for forged certificates", e);
        }
    }

    /**
     * Issues no session tickets on this server handler's connection. Per connection because Netty
     * turns TLS 1.3 tickets on for every new BoringSSL engine, whatever its context says.
     */
    public static void withoutTickets(io.netty.handler.ssl.SslHandler handler) {
        if (handler.engine() instanceof io.netty.handler.ssl.ReferenceCountedOpenSslEngine engine) {
            io.netty.internal.tcnative.SSL.setOptions(engine.sslPointer(), io.netty.internal.tcnative.SSL.SSL_OP_NO_TICKET);
        }
    }

    /**
     * A client context for the proxy's origin leg: it trusts exactly {@code trusted} (and remembers the
     * chains it accepted, see {@link RememberingServerTrust}), does not check the certificate's name,
     * and offers {@code alpn}. With BoringSSL it
     * offers the classic groups only: its default adds a post-quantum (ML-KEM) key share that costs
     * about a twentieth of an intercepted connection's CPU, measured, and that an origin without
     * ML-KEM (nginx on OpenSSL 3.0, the 2019 Web) throws away.
     */
    public SslContext client(List<X509Certificate> trusted, List<String> alpn) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .trustManager(new RememberingServerTrust(jdkTrustManager(trusted), java.time.Clock.systemUTC(), rememberedChains))
                    // the chain is verified, the name is not: the 2019 box forged whatever name the origin's
                    // real certificate carried (Netty 4.2 would check it against the SNI by default)
                    .endpointIdentificationAlgorithm(null);
            if (provider == SslProvider.OPENSSL) {
                b.option(io.netty.handler.ssl.OpenSslContextOption.GROUPS, CLASSIC_GROUPS);
            }
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(alpnConfig(alpn));
            }
            return logKeys(b.build());
        } catch (SSLException e) {
            throw new PkiException("cannot build a TLS client context", e);
        }
    }

    /**
     * Registers the key log callback on the native context; it stays for the context's life.
     * tcnative's {@code SSLContext.setKeyLogCallback} takes tcnative's own context handle, the
     * {@code ctx} field, which Netty keeps protected ({@code sslCtxPointer()} is the raw
     * {@code SSL_CTX*} and crashes the JVM there); the context was built a moment ago, so the
     * handle is live.
     */
    private SslContext logKeys(SslContext ctx) {
        if (keyLog != null) {
            KeyLogFile target = keyLog;
            if (!io.netty.internal.tcnative.SSLContext.setKeyLogCallback(nativeHandle(ctx), (ssl, line) -> target.write(line))) {
                throw new IllegalStateException("this netty-tcnative build has no key log callback");
            }
        }
        return ctx;
    }

    private static long nativeHandle(SslContext ctx) {
        try {
            java.lang.reflect.Field field = ReferenceCountedOpenSslContext.class.getDeclaredField("ctx");
            field.setAccessible(true);
            long handle = field.getLong(ctx);
            if (handle == 0) {
                throw new IllegalStateException("the OpenSSL context is already released");
            }
            return handle;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach netty-tcnative's context to install the key log (Netty "
                    + io.netty.util.Version.identify().getOrDefault("netty-handler", null) + ")", e);
        }
    }

    private static ApplicationProtocolConfig alpnConfig(List<String> protocols) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
    }

    /** The JDK's (PKIX) trust manager over exactly these certificates. */
    static javax.net.ssl.X509ExtendedTrustManager jdkTrustManager(List<X509Certificate> trusted) {
        for (javax.net.ssl.TrustManager tm : trustManagers(trusted).getTrustManagers()) {
            if (tm instanceof javax.net.ssl.X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new PkiException("the JDK offers no X.509 trust manager", null);
    }

    /** A trust manager factory over exactly these certificates (the lab's stand-in for a root store). */
    public static TrustManagerFactory trustManagers(List<X509Certificate> trusted) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : trusted) {
                ks.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot build a trust store", e);
        }
    }
}
