package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mitmlab.proxy.ProxyLabSupport.forEachName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.testing.Curl;

/**
 * A student with the national root installed browses every targeted name with plain curl through
 * the proxy (curl offers h2 and http/1.1, as browsers do): the origin's page must arrive on the
 * very first visit, when the proxy mints the forged leaf, and again on a second visit, when the
 * leaf comes from the cache. The class has a lab of its own and a single test, so the first visit
 * really is the first contact of the lab with each name.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyFirstVisitIntegrationTest {
    private static final int THREADS = 8;
    private static final Duration EACH = Duration.ofSeconds(20);

    @TempDir
    static Path tempDir;

    private static ProxyLabSupport lab;

    @BeforeAll
    static void startLab() throws Exception {
        lab = ProxyLabSupport.start(tempDir);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void clientTrustingTheNationalRootGetsEveryTargetedPageOnTheFirstAndSecondVisit() throws Exception {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        List<String> targeted = lab.lab.config().catalogue().targeted();
        assertThat(targeted).as("targeted names").hasSize(37);

        Map<String, Curl.Result> first = forEachName(targeted, THREADS, EACH, name ->
                lab.curlViaProxy(lab.state.rootsWithNational(), List.of(name), "https://" + name + "/"));
        Map<String, Curl.Result> second = forEachName(targeted, THREADS, EACH, name ->
                lab.curlViaProxy(lab.state.rootsWithNational(), List.of(name), "https://" + name + "/"));

        assertThat(problems(second))
                .as("targeted names whose page did not arrive on a SECOND visit (forged leaf cached) through"
                        + " curl --proxy %s --cacert roots-with-national.pem", lab.proxyUrl())
                .isEmpty();
        assertThat(problems(first))
                .as("targeted names whose page did not arrive on the FIRST visit (forged leaf minted for this"
                        + " connection) through curl --proxy %s --cacert roots-with-national.pem", lab.proxyUrl())
                .isEmpty();
    }

    private static Map<String, String> problems(Map<String, Curl.Result> results) {
        Map<String, String> problems = new LinkedHashMap<>();
        results.forEach((name, r) -> {
            if (r.exitCode() != 0 || r.status() != 200) {
                problems.put(name, "curl exit " + r.exitCode() + ", HTTP " + r.status() + " " + r.httpVersion()
                        + (r.stderr().isEmpty() ? "" : ": " + r.stderr()));
            } else if (!r.bodyText().contains(lab.serviceAsHtml(name)) || !r.bodyText().contains(name)) {
                problems.put(name, "the page does not name '" + lab.service(name) + "' (" + name + ")");
            }
        });
        return problems;
    }
}
