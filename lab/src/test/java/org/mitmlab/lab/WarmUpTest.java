package org.mitmlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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
            // half of the other sites on home-made servers: CDN-like names, the leaf alone under an
            // instructor's root, as a class's own servers are
            assertThat(result.homeMadeSites()).as("home-made sites that answered").isGreaterThanOrEqualTo(3)
                    .isLessThan(result.sites());
            // and it ends with single clients, one at a time, as real ones come
            assertThat(result.singleClients()).as("requests from single clients at the end").isGreaterThan(5)
                    .isLessThan(result.requests());
            assertThat(seconds).as("warm-up time against a 3 s budget (plus clean-up)").isLessThan(8);
        }
    }

    @Test
    void homeMadeSitesHaveCdnLikeNamesAndTakeTurnsWithLabSitesAfterTheUsualOne() {
        List<String> homeMade = WarmUp.homeMadeNames(3);
        assertThat(homeMade).allMatch(n -> n.matches("sun\\d-\\d{2}\\.userapi-cdn\\d\\.test"), "a CDN-like name under .test")
                .doesNotHaveDuplicates();
        assertThat(WarmUp.interleaved(List.of("vk.com", "mail.ru", "ok.ru"), homeMade))
                .containsExactly("vk.com", homeMade.get(0), "mail.ru", homeMade.get(1), "ok.ru", homeMade.get(2));
    }

    /**
     * The proxy interrupts its warm-up on Ctrl-C and waits five seconds for it. Before, the minting
     * phase (a sixth of the budget, here 5 s) went on regardless, and the proxy closed the event loops
     * under a warm-up that had not stopped.
     */
    @Test
    void anInterruptDuringTheMintingPhaseStopsTheWarmUpAtOnceAndQuietly() throws Exception {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (Transport transport = Transport.create(1)) {
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread warmUp = new Thread(() -> {
                try {
                    WarmUp.run(transport, new TlsContexts(true), Duration.ofSeconds(30));
                    ended.set(new AssertionError("the warm-up ran to its end"));
                } catch (Throwable t) {
                    ended.set(t);
                }
            }, "warm-up-under-test");
            warmUp.start();
            Thread.sleep(3_000); // past its set-up (about a second), inside the 5 s of minting
            long interrupted = System.nanoTime();
            warmUp.interrupt();
            warmUp.join(10_000);
            assertThat(warmUp.isAlive()).as("still running 10 s after the interrupt").isFalse();
            assertThat((System.nanoTime() - interrupted) / 1e9).as("seconds to stop").isLessThan(2);
            assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        } finally {
            root.detachAppender(logs);
            logs.stop();
        }
        assertThat(logs.list).as("warnings and errors while stopping")
                .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }
}
