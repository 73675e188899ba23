package org.mitmlab.origin;

import java.util.concurrent.CompletionStage;

/**
 * A lab service on the simulated Internet's plain-HTTP listener, chosen by the Host header: the CT
 * log ({@link org.mitmlab.pki.WebPki#CT_LOG_HOST}) and, in the embedded lab, the vantage service.
 * It may answer later (the vantage service makes a TLS connection first); the answer is written on
 * the request's event loop.
 */
@FunctionalInterface
public interface PlainHttpService {
    /**
     * @param method        the request method
     * @param pathAndQuery  the request target in origin form ({@code /ct/v1/entries?name=vk.com})
     */
    CompletionStage<SiteResponse> respond(String method, String pathAndQuery);
}
