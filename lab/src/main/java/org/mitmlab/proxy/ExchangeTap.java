package org.mitmlab.proxy;

/**
 * Reads the clear-text HTTP of an intercepted flow as it is relayed, without changing it, and
 * emits one {@link org.mitmlab.event.HttpExchange} per completed request/response.
 */
interface ExchangeTap {
    /** Sees bytes going from the client to the origin. */
    RelayHandler.ByteTap requestSide();

    /** Sees bytes going from the origin to the client. */
    RelayHandler.ByteTap responseSide();

    /** Releases buffers; called once when the flow closes. */
    void close();

    static ExchangeTap forProtocol(String alpn, FlowContext flow, String host, java.time.Clock clock) {
        return "h2".equals(alpn) ? new Http2ExchangeTap(flow, host, clock) : new Http1ExchangeTap(flow, host, clock);
    }
}
