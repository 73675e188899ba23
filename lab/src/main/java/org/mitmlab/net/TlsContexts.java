package org.mitmlab.net;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
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

/** Builds the lab's SslContexts with one provider choice: OpenSSL (BoringSSL) if it loads, else the JDK. */
public final class TlsContexts {
    public static final List<String> H2_AND_HTTP11 = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final SslProvider provider;

    public TlsContexts(boolean preferOpenSsl) {
        this.provider = preferOpenSsl && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
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
            return b.build();
        } catch (SSLException e) {
            throw new PkiException("cannot build a TLS server context for " + chain.get(0).getSubjectX500Principal(), e);
        }
    }

    /**
     * A server context whose key and chain come from {@code keys} per handshake (the proxy's forged
     * leaves). With OpenSSL the converted key material is cached per alias.
     */
    public SslContext server(javax.net.ssl.KeyManagerFactory keys, List<String> alpn) {
        try {
            javax.net.ssl.KeyManagerFactory factory = provider == SslProvider.OPENSSL
                    ? new io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory(keys, 4096) : keys;
            SslContextBuilder b = SslContextBuilder.forServer(factory)
                    .sslProvider(provider)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(alpnConfig(alpn));
            }
            return b.build();
        } catch (SSLException e) {
            throw new PkiException("cannot build the TLS server context for forged certificates", e);
        }
    }

    /** A client context that trusts exactly {@code trusted} and offers {@code alpn}. */
    public SslContext client(List<X509Certificate> trusted, List<String> alpn) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .trustManager(trustManagers(trusted));
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(alpnConfig(alpn));
            }
            return b.build();
        } catch (SSLException e) {
            throw new PkiException("cannot build a TLS client context", e);
        }
    }

    private static ApplicationProtocolConfig alpnConfig(List<String> protocols) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
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
