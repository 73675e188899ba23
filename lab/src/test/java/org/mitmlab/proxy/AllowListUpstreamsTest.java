package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proxy command's upstream rule: loopback and private addresses are fine, anything else needs
 * --allow-upstream. Only address literals and "localhost" are resolved; nothing is contacted
 * (192.0.2.0/24 and 198.51.100.0/24 are TEST-NET ranges).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AllowListUpstreamsTest {
    private static ExecutorService resolver;

    @BeforeAll
    static void startResolver() {
        resolver = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-resolver");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopResolver() {
        resolver.shutdownNow();
    }

    @Test
    void fixedLoopbackUpstreamIsAllowed() throws Exception {
        InetSocketAddress fixed = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8443);
        AllowListUpstreams upstreams = new AllowListUpstreams(fixed, List.of(), resolver);
        assertThat(get(upstreams.resolve("vk.com", 443))).isEqualTo(fixed);
        assertThat(get(upstreams.resolve("anything.example", 443))).isEqualTo(fixed);
    }

    @Test
    void fixedPrivateUpstreamIsAllowed() throws Exception {
        InetSocketAddress fixed = new InetSocketAddress(InetAddress.getByName("10.20.30.40"), 443);
        assertThat(get(new AllowListUpstreams(fixed, List.of(), resolver).resolve("vk.com", 443))).isEqualTo(fixed);
    }

    @Test
    void fixedPublicUpstreamIsRefusedNamingAllowUpstream() throws Exception {
        InetSocketAddress fixed = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 443);
        AllowListUpstreams upstreams = new AllowListUpstreams(fixed, List.of(), resolver);
        CompletableFuture<InetSocketAddress> f = upstreams.resolve("vk.com", 443);
        assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UpstreamResolver.DestinationRefusedException.class)
                .hasMessageContaining("--allow-upstream")
                .hasMessageContaining("192.0.2.1")
                .hasMessageContaining("vk.com");
    }

    @Test
    void fixedPublicUpstreamIsAllowedOnceItsRangeIsAdded() throws Exception {
        InetSocketAddress fixed = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 443);
        AllowListUpstreams upstreams = new AllowListUpstreams(fixed, List.of(Cidr.parse("192.0.2.0/24")), resolver);
        assertThat(get(upstreams.resolve("vk.com", 443))).isEqualTo(fixed);
    }

    @Test
    void anotherRangeDoesNotAllowIt() throws Exception {
        InetSocketAddress fixed = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 443);
        AllowListUpstreams upstreams = new AllowListUpstreams(fixed,
                List.of(Cidr.parse("198.51.100.0/24"), Cidr.parse("192.0.2.128/25")), resolver);
        assertThatThrownBy(() -> get(upstreams.resolve("vk.com", 443))).cause()
                .isInstanceOf(UpstreamResolver.DestinationRefusedException.class);
    }

    @Test
    void localhostResolvesToLoopbackWithTheRequestedPort() throws Exception {
        AllowListUpstreams upstreams = new AllowListUpstreams(null, List.of(), resolver);
        InetSocketAddress a = get(upstreams.resolve("localhost", 8443));
        assertThat(a.getAddress().isLoopbackAddress()).isTrue();
        assertThat(a.getPort()).isEqualTo(8443);
    }

    /** Literal hosts resolve without DNS; columns: host, allowed without extra ranges. */
    @ParameterizedTest(name = "{0} allowed: {1}")
    @CsvSource({
        "127.0.0.1,       true",
        "127.8.9.10,      true",
        "::1,             true",
        "10.1.2.3,        true",
        "172.16.5.4,      true",
        "192.168.1.1,     true",
        "169.254.10.10,   true",
        "fd00::1,         true",
        "fe80::1,         true",
        "192.0.2.55,      false",
        "198.51.100.1,    false",
        "203.0.113.9,     false",
        "2001:db8::1,     false",
    })
    void literalHosts(String host, boolean allowed) throws Exception {
        AllowListUpstreams upstreams = new AllowListUpstreams(null, List.of(), resolver);
        CompletableFuture<InetSocketAddress> f = upstreams.resolve(host, 443);
        if (allowed) {
            InetSocketAddress a = get(f);
            assertThat(a.getAddress()).isEqualTo(InetAddress.getByName(host));
            assertThat(a.getPort()).isEqualTo(443);
        } else {
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(UpstreamResolver.DestinationRefusedException.class)
                    .hasMessageContaining("--allow-upstream")
                    .hasMessageContaining(host);
        }
    }

    @Test
    void literalPublicHostIsAllowedByItsRange() throws Exception {
        AllowListUpstreams upstreams = new AllowListUpstreams(null,
                List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32")), resolver);
        assertThat(get(upstreams.resolve("192.0.2.55", 443)).getAddress()).isEqualTo(InetAddress.getByName("192.0.2.55"));
        assertThat(get(upstreams.resolve("2001:db8::1", 443)).getAddress()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThatThrownBy(() -> get(upstreams.resolve("203.0.113.9", 443))).cause()
                .isInstanceOf(UpstreamResolver.DestinationRefusedException.class);
    }

    @Test
    void resolutionRunsOnTheGivenExecutor() throws Exception {
        List<Runnable> submitted = new java.util.ArrayList<>();
        AllowListUpstreams upstreams = new AllowListUpstreams(null, List.of(), submitted::add);
        CompletableFuture<InetSocketAddress> f = upstreams.resolve("127.0.0.1", 443);
        assertThat(f).isNotDone();
        assertThat(submitted).hasSize(1);
        submitted.get(0).run();
        assertThat(get(f)).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 443));
    }

    @Test
    void mayRouteAcceptsHostNamesOnly() {
        AllowListUpstreams upstreams = new AllowListUpstreams(null, List.of(), resolver);
        assertThat(upstreams.mayRoute("vk.com")).isTrue();
        assertThat(upstreams.mayRoute("Intranet.Example.")).isTrue();
        assertThat(upstreams.mayRoute("localhost")).isTrue();
        assertThat(upstreams.mayRoute("")).isFalse();
        assertThat(upstreams.mayRoute(null)).isFalse();
        assertThat(upstreams.mayRoute("not a host")).isFalse();
        assertThat(upstreams.mayRoute("under_score.example")).isFalse();
    }

    private static InetSocketAddress get(CompletableFuture<InetSocketAddress> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }
}
