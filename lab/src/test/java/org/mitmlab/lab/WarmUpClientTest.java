package org.mitmlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.testing.OneSiteOrigin;

/** The warm-up's load, straight against an origin on loopback. */
class WarmUpClientTest {
    private Transport transport;
    private OneSiteOrigin origin;
    private SslContext client;

    @BeforeEach
    void originAndClientContext() throws InterruptedException {
        transport = Transport.create(1);
        origin = OneSiteOrigin.start(transport, "vk.com");
        client = new TlsContexts(true).client(origin.web().trustBundle(), List.of("http/1.1"));
    }

    @AfterEach
    void release() {
        ReferenceCountUtil.release(client);
        origin.close();
        transport.close();
    }

    /**
     * The warm-up's last phase stands for single clients: one connection at a time, one plain GET each,
     * a pause between them. Busy lanes alone left the event loops' waiting paths uncompiled.
     */
    @Test
    void oneAtATimeMeansOneOpenConnectionOneGetEachAndThePauseBetween() throws Exception {
        WarmUpClient single = newLoad();
        int answered = single.runOneAtATime(Duration.ofMillis(50), System.nanoTime() + TimeUnit.SECONDS.toNanos(1));

        assertThat(single.mostConnectionsAtOnce()).as("connections open at the same time").isEqualTo(1);
        assertThat(answered).as("one answered GET per connection, no uploads")
                .isEqualTo(single.connectionsStarted()).isGreaterThan(2);
        assertThat(single.connectionsStarted()).as("connections in 1 s with 50 ms between them").isLessThanOrEqualTo(21);
    }

    @Test
    void busyLanesRunSideBySide() throws Exception {
        WarmUpClient load = newLoad();
        int answered = load.run(4, 3, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));

        assertThat(load.mostConnectionsAtOnce()).as("connections open at the same time").isGreaterThan(1);
        assertThat(answered).as("several requests per connection").isGreaterThan(load.connectionsStarted());
    }

    /**
     * The proxy interrupts its warm-up on Ctrl-C, and the warm-up then closes its proxy and origin and
     * releases its TLS contexts. Before, the lanes went on opening connections after the interrupt, on
     * released contexts: Netty logged "Failed to initialize a channel" with a stack trace on the way out.
     */
    @Test
    void anInterruptedRunOpensNoMoreConnectionsOnceItReturns() throws Exception {
        WarmUpClient load = newLoad();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread lanes = new Thread(() -> {
            try {
                load.run(8, 6, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                ended.set(new AssertionError("ran to its deadline"));
            } catch (Throwable t) {
                ended.set(t);
            }
        }, "lanes-under-test");
        lanes.start();
        Thread.sleep(2_000);
        assertThat(load.connectionsStarted()).as("connections before the interrupt").isGreaterThan(8);
        lanes.interrupt();
        lanes.join(10_000);
        assertThat(lanes.isAlive()).as("still running 10 s after the interrupt").isFalse();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        int afterReturn = load.connectionsStarted();
        Thread.sleep(500);
        assertThat(load.connectionsStarted()).as("connections started after run() returned").isEqualTo(afterReturn);
    }

    private WarmUpClient newLoad() {
        return new WarmUpClient(transport, client, origin.httpsAddress(), List.of("vk.com"));
    }
}
