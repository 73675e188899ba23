package org.mitmlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;

/** proxy --warm-up: real intercepted requests on a private loopback proxy, within the time budget. */
class WarmUpTest {
    @Test
    void warmUpInterceptsRealRequestsAndMintsForFirstVisitsWithinItsBudget() throws Exception {
        try (Transport transport = Transport.create(1)) {
            long start = System.nanoTime();
            WarmUp.Result result = WarmUp.run(transport, new TlsContexts(true), Duration.ofSeconds(3));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(result.requests()).as("intercepted requests made during the warm-up").isGreaterThan(50);
            // the sites alternate and the warm-up's cache holds one leaf: first visits mint again and again
            assertThat(result.firstVisits()).as("leaves minted for first visits").isGreaterThan(2);
            // and they go to many sites, each with its own genuine chain: with two, the JDK's check of a
            // chain it had not seen ran twice per warm-up
            assertThat(result.sites()).as("sites that answered through the warm-up's proxy").isGreaterThanOrEqualTo(8);
            assertThat(seconds).as("warm-up time against a 3 s budget (plus clean-up)").isLessThan(8);
        }
    }
}
