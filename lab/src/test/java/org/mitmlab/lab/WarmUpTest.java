package org.mitmlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;

/** proxy --warm-up: real intercepted requests on a private loopback proxy, within the time budget. */
class WarmUpTest {
    @Test
    void warmUpInterceptsRealRequestsWithinItsBudget() throws Exception {
        try (Transport transport = Transport.create(1)) {
            long start = System.nanoTime();
            int requests = WarmUp.run(transport, new TlsContexts(true), Duration.ofSeconds(3));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(requests).as("intercepted requests made during the warm-up").isGreaterThan(10);
            assertThat(seconds).as("warm-up time against a 3 s budget (plus clean-up)").isLessThan(8);
        }
    }
}
