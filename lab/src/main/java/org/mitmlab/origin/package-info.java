/**
 * The simulated Internet: one Netty server that hosts every lab site by SNI over HTTPS (HTTP/1.1
 * and HTTP/2 by ALPN) with its genuine certificate, plus a plain-HTTP listener that redirects to
 * HTTPS and serves the public CA's repository (the AIA and CRL URLs of genuine certificates).
 *
 * <pre>
 *  TLS   -&gt; SniHandler (site certificate by SNI) -&gt; OriginAlpnHandler
 *             h2:       Http2FrameCodec -&gt; Http2MultiplexHandler -&gt; per stream: codec -&gt; aggregator -&gt; SiteRequestHandler
 *             http/1.1: HttpServerCodec -&gt; keep-alive -&gt; aggregator -&gt; SiteRequestHandler
 *  plain -&gt; HttpServerCodec -&gt; aggregator -&gt; PlainHttpHandler (redirects, CA repository)
 * </pre>
 * {@link org.mitmlab.origin.SiteContent} decides what each site answers; it knows nothing of Netty.
 */
package org.mitmlab.origin;
