/**
 * The intercepting proxy: one listener that speaks both "explicit proxy" (HTTP CONNECT and
 * absolute-form plain HTTP) and "TLS straight in" (routed by SNI, for transparent set-ups).
 *
 * <pre>
 * accept -&gt; TrafficCounter -&gt; ProtocolSniffer
 *   first byte 0x16 (TLS) -----------------------------&gt; ClientHelloHandler
 *   otherwise -&gt; HttpServerCodec -&gt; ConnectRequestHandler -- CONNECT host:443 --^
 *                                                       \-- GET http://... --&gt; PlainHttpForwarder
 * ClientHelloHandler reads SNI and ALPN, asks InterceptionPolicy:
 *   Refuse      -&gt; TLS alert / 403, event Refused, close
 *   PassThrough -&gt; RelayHandler on both channels, bytes untouched (the genuine certificate reaches the client)
 *   Intercept   -&gt; InterceptConnector: TLS to the origin first (verifying the genuine chain), then a
 *                  forged leaf from ForgeryCache, then TLS to the client with it; RelayHandler on the
 *                  plaintext of both legs, with an HTTP/1.1 or HTTP/2 tap recording HttpExchange events
 * </pre>
 * Every step emits a {@link org.mitmlab.event.FlowEvent} through the flow's {@link org.mitmlab.proxy.FlowContext}.
 * The upstream channel always shares the client channel's event loop, so a flow is single-threaded.
 */
package org.mitmlab.proxy;
