/**
 * Netty plumbing shared by the origin and the proxy: {@link org.mitmlab.net.Transport} picks the
 * native epoll transport where it loads and NIO elsewhere; {@link org.mitmlab.net.TlsContexts}
 * builds server and client {@code SslContext}s with OpenSSL (netty-tcnative BoringSSL) when
 * available and the JDK provider otherwise; {@link org.mitmlab.net.Loopback} knows which
 * addresses count as local or private.
 */
package org.mitmlab.net;
