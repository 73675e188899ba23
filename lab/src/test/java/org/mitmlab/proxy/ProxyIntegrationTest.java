package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mitmlab.proxy.ProxyLabSupport.FORGED_ISSUER;
import static org.mitmlab.proxy.ProxyLabSupport.certificatesIn;
import static org.mitmlab.proxy.ProxyLabSupport.der;
import static org.mitmlab.proxy.ProxyLabSupport.sameDer;
import static org.mitmlab.proxy.ProxyLabSupport.sha256Hex;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ConnectionClosed;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.lab.SimulatedPopulation;
import org.mitmlab.lab.SimulatedPopulation.Outcome;
import org.mitmlab.lab.SimulatedPopulation.Visit;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.testing.Curl;

/**
 * The intercepting proxy end to end, as a student uses it: HTTP/2 and HTTP/1.1 through it, the
 * login form the box operator reads, the forged-certificate event and its cache, TLS sent straight
 * to the proxy port, openssl as an external client and a small simulated population. One embedded
 * lab for the class; every client talks to 127.0.0.1 only.
 *
 * <p>Names are chosen so that no two tests depend on each other's traffic or order: only
 * {@link #certificateForgedEventCarriesTheRealFingerprintsAndIsCachedOnTheSecondConnection} visits
 * {@value #FRESH_NAME}, only the HTTP/2 test {@value #FRESH_H2} and only the HTTP/1.1 test
 * {@value #FRESH_H1}, so their first visits mint a new leaf whatever the order. Tests about
 * something else that use curl on {@value #TARGETED} first warm its forgery with a JDK handshake
 * (no ALPN), so that they do not depend on what happens on a first HTTP/2 visit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyIntegrationTest {
    private static final String FRESH_NAME = "tamtam.chat";
    /** Visited first by the HTTP/2 test only. */
    private static final String FRESH_H2 = "ok.ru";
    /** Visited first by the HTTP/1.1 test only. */
    private static final String FRESH_H1 = "vk.me";
    private static final String TARGETED = "vk.com";
    private static final String CONTROL = "halykbank.kz";
    private static final Pattern VERIFY_RETURN_CODE = Pattern.compile("Verify return code: (\\d+) \\(([^)]*)\\)");

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

    private static String probe() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // ------------------------------------------------------------------ HTTP/2 and HTTP/1.1

    /**
     * curl --http2 to a name the lab has not forged yet, then again. The second visit uses the
     * cached forged leaf; the first one has to wait for the mint while the origin has already sent
     * its HTTP/2 SETTINGS: those bytes must still reach the client.
     */
    @Test
    void http2ThroughTheProxyIsInterceptedAndRecordedAsHttp2() {
        assumeTrue(Curl.isAvailable() && Curl.supportsHttp2(), "curl with HTTP/2 is not installed");
        String firstPath = "/?probe=" + probe();
        String secondPath = "/?probe=" + probe();
        int mark = lab.mark();

        Curl.Result first = lab.curlViaProxy(lab.state.rootsWithNational(), List.of(FRESH_H2), "--http2",
                "https://" + FRESH_H2 + firstPath);
        String firstEvents = lab.eventsSince(mark);
        Curl.Result second = lab.curlViaProxy(lab.state.rootsWithNational(), List.of(FRESH_H2), "--http2",
                "https://" + FRESH_H2 + secondPath);

        assertThat(second.exitCode()).as("second curl --http2 to %s (cached forgery): %s", FRESH_H2, second.describe()).isZero();
        assertHttp2Page(second, secondPath);
        assertThat(first.exitCode()).as("FIRST curl --http2 to %s (forgery minted for this connection): %s%n"
                + "events of that flow:%n%s", FRESH_H2, first.describe(), firstEvents).isZero();
        assertHttp2Page(first, firstPath);
    }

    private void assertHttp2Page(Curl.Result r, String path) {
        assertThat(r.status()).as("status of %s", path).isEqualTo(200);
        assertThat(r.httpVersion()).as("curl's %%{http_version}: the forged TLS endpoint agreed on h2 with curl").isEqualTo("2");
        assertThat(r.bodyText()).as("the page of %s", FRESH_H2).contains(lab.serviceAsHtml(FRESH_H2));

        HttpExchange x = lab.await(0, HttpExchange.class, e -> path.equals(e.path()), "the h2 GET " + path);
        assertThat(x.protocol()).as("protocol of the recorded exchange").isEqualTo("HTTP/2");
        assertThat(x.method()).as("method").isEqualTo("GET");
        assertThat(x.scheme()).as("scheme").isEqualTo("https");
        assertThat(x.host()).as("host").isEqualTo(FRESH_H2);
        assertThat(x.status()).as("status").isEqualTo(200);
        assertThat(x.responsePreview()).as("what the operator sees of the response").contains(lab.serviceAsHtml(FRESH_H2));
    }

    @Test
    void http11ThroughTheProxyIsInterceptedAndRecordedAsHttp11() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        String path = "/?probe=" + probe();

        Curl.Result r = lab.curlViaProxy(lab.state.rootsWithNational(), List.of(FRESH_H1), "--http1.1",
                "https://" + FRESH_H1 + path);

        assertThat(r.exitCode()).as("first curl --http1.1 to %s through the proxy: %s", FRESH_H1, r.describe()).isZero();
        assertThat(r.status()).as("status of %s", path).isEqualTo(200);
        assertThat(r.httpVersion()).as("curl's %%{http_version}").isEqualTo("1.1");
        assertThat(r.bodyText()).as("the page of %s", FRESH_H1).contains(lab.serviceAsHtml(FRESH_H1));

        HttpExchange x = lab.await(0, HttpExchange.class, e -> path.equals(e.path()), "the HTTP/1.1 GET " + path);
        assertThat(x.protocol()).as("protocol of the recorded exchange").isEqualTo("HTTP/1.1");
        assertThat(x.method()).as("method").isEqualTo("GET");
        assertThat(x.scheme()).as("scheme").isEqualTo("https");
        assertThat(x.host()).as("host").isEqualTo(FRESH_H1);
        assertThat(x.status()).as("status").isEqualTo(200);
    }

    /** Mints (or finds cached) the forged leaf of {@code name} with a JDK handshake that offers no ALPN. */
    private static void warmUp(String name) {
        try {
            ProxyLabSupport.Handshake h = lab.handshakeThroughProxy(name, ProxyLabSupport.clientContext(lab.rootsWithNational));
            assertThat(h.failure()).as("warm-up handshake for %s", name).isNull();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the login form

    @Test
    void loginFormPostedOverHttp11IsReadByTheBoxOperator() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        assertLoginFormIsRead("--http1.1", "HTTP/1.1");
    }

    @Test
    void loginFormPostedOverHttp2IsReadByTheBoxOperator() {
        assumeTrue(Curl.isAvailable() && Curl.supportsHttp2(), "curl with HTTP/2 is not installed");
        assertLoginFormIsRead("--http2", "HTTP/2");
    }

    private void assertLoginFormIsRead(String curlVersionFlag, String protocol) {
        String path = "/login?probe=" + probe();
        warmUp(TARGETED);

        Curl.Result r = lab.curlViaProxy(lab.state.rootsWithNational(), List.of(TARGETED), curlVersionFlag,
                "-d", "username=alice", "-d", "password=s3cret", "https://" + TARGETED + path);

        assertThat(r.exitCode()).as("curl POST through the proxy: %s", r.describe()).isZero();
        assertThat(r.status()).as("the origin accepted the login").isEqualTo(200);
        assertThat(r.bodyText()).as("the signed-in page").contains("Signed in to " + lab.serviceAsHtml(TARGETED) + " as <b>alice</b>")
                .doesNotContain("s3cret");

        HttpExchange x = lab.await(0, HttpExchange.class, e -> path.equals(e.path()), "the " + protocol + " POST " + path);
        assertThat(x.protocol()).as("protocol of the recorded POST").isEqualTo(protocol);
        assertThat(x.method()).as("method").isEqualTo("POST");
        assertThat(x.formFields())
                .as("the form fields the box operator reads from the intercepted %s login", protocol)
                .containsExactlyInAnyOrderEntriesOf(Map.of("username", "alice", "password", "s3cret"));
    }

    @Test
    void loginFormPostedToAControlNameCannotBeReadByThePassThrough() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        String path = "/login?probe=" + probe();
        int mark = lab.mark();

        Curl.Result r = lab.curlViaProxy(lab.state.publicRoots(), List.of(CONTROL),
                "-d", "username=alice", "-d", "password=s3cret", "https://" + CONTROL + path);

        assertThat(r.exitCode()).as("curl POST to the control name: %s", r.describe()).isZero();
        assertThat(r.status()).as("the genuine origin accepted the login").isEqualTo(200);
        assertThat(r.bodyText()).contains("Signed in to " + lab.serviceAsHtml(CONTROL) + " as <b>alice</b>");

        DecisionMade d = lab.await(mark, DecisionMade.class, e -> CONTROL.equals(e.sni()), "the decision for " + CONTROL);
        assertThat(d.decision()).as("the proxy's decision for the control name").isEqualTo(Decision.PASS_THROUGH);
        lab.awaitInFlow(d.flowId(), ConnectionClosed.class, e -> true, "the end of the pass-through flow");
        assertThat(lab.flow(d.flowId())).as("events of the pass-through flow: nothing was decrypted")
                .noneMatch(e -> e instanceof HttpExchange || e instanceof CertificateForged);
        assertThat(lab.since(mark, HttpExchange.class, e -> true))
                .as("HttpExchange events since the POST to %s (a pass-through cannot read it)", CONTROL)
                .noneMatch(e -> CONTROL.equals(e.host()) || path.equals(e.path()) || e.formFields().containsKey("password"));
    }

    // ------------------------------------------------------------------ the forged-certificate event

    @Test
    void certificateForgedEventCarriesTheRealFingerprintsAndIsCachedOnTheSecondConnection() throws Exception {
        SSLContext withNational = ProxyLabSupport.clientContext(lab.rootsWithNational);
        X509Certificate genuine = lab.genuineLeaf(FRESH_NAME);

        ProxyLabSupport.Handshake first = lab.handshakeThroughProxy(FRESH_NAME, withNational);
        X509Certificate presented = first.leaf();
        CertificateForged minted = lab.awaitInFlow(lab.flowOf(first.localPort()), CertificateForged.class, e -> true,
                "the forged certificate for " + FRESH_NAME);

        assertThat(presented.getIssuerX500Principal()).as("issuer of the presented leaf").isEqualTo(FORGED_ISSUER);
        assertThat(minted.sni()).as("sni").isEqualTo(FRESH_NAME);
        assertThat(minted.genuineSha256())
                .as("genuineSha256 = SHA-256 of the site's real certificate (web-pki/sites/%s.pem)", FRESH_NAME)
                .isEqualTo(sha256Hex(der(genuine)));
        assertThat(minted.forgedSha256())
                .as("forgedSha256 = SHA-256 of the leaf the client was actually presented")
                .isEqualTo(sha256Hex(der(presented)));
        assertThat(sameDer(PemFiles.parseCertificates(minted.genuinePem()), List.of(genuine))).as("genuinePem is the genuine leaf").isTrue();
        assertThat(sameDer(PemFiles.parseCertificates(minted.forgedPem()), List.of(presented))).as("forgedPem is the presented leaf").isTrue();
        assertThat(minted.forgedIssuer()).as("forgedIssuer").isEqualTo(FORGED_ISSUER.getName());
        assertThat(minted.genuineIssuer()).as("genuineIssuer").isEqualTo(genuine.getIssuerX500Principal().getName());
        assertThat(minted.profile()).as("forgery profile").isEqualTo("kz-2019");
        assertThat(minted.cached()).as("the first connection to %s in this lab mints a new leaf", FRESH_NAME).isFalse();

        ProxyLabSupport.Handshake second = lab.handshakeThroughProxy(FRESH_NAME, withNational);
        CertificateForged reused = lab.awaitInFlow(lab.flowOf(second.localPort()), CertificateForged.class, e -> true,
                "the forged certificate for the second connection to " + FRESH_NAME);

        assertThat(reused.cached()).as("the second connection to %s reuses the cached forgery", FRESH_NAME).isTrue();
        assertThat(reused.mintMillis()).as("mintMillis of a cached forgery").isZero();
        assertThat(reused.forgedSha256()).as("the cached leaf is the same certificate").isEqualTo(minted.forgedSha256());
        assertThat(der(second.leaf())).as("the second connection is presented the same forged leaf").isEqualTo(der(presented));
    }

    // ------------------------------------------------------------------ TLS straight to the proxy port

    @Test
    void tlsSentStraightToTheProxyPortIsRoutedBySniAndIntercepted() throws Exception {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        String path = "/?probe=" + probe();
        int port = lab.proxyPort();
        warmUp(TARGETED);

        Curl.Result r = Curl.in(lab.work).resolve(TARGETED, lab.lab.proxyAddress()).caCert(lab.state.rootsWithNational())
                .fetch("https://" + TARGETED + ":" + port + path);

        assertThat(r.exitCode()).as("curl --resolve %s:%s:127.0.0.1 https://%s:%s/ : %s", TARGETED, port, TARGETED, port,
                r.describe()).isZero();
        assertThat(r.status()).as("status").isEqualTo(200);
        assertThat(r.bodyText()).as("the page of %s", TARGETED).contains(lab.serviceAsHtml(TARGETED));

        HttpExchange x = lab.await(0, HttpExchange.class, e -> path.equals(e.path()), "the straight-in GET " + path);
        assertThat(x.host()).as("host recorded for the straight-in request").isEqualTo(TARGETED);
        List<FlowEvent> flow = lab.flow(x.flowId());
        assertThat(flow).as("the straight-in flow was decided INTERCEPT on SNI %s", TARGETED)
                .anyMatch(e -> e instanceof DecisionMade d && d.decision() == Decision.INTERCEPT && TARGETED.equals(d.sni()));
        assertThat(flow).as("a certificate was forged in the straight-in flow")
                .anyMatch(e -> e instanceof CertificateForged f && TARGETED.equals(f.sni()));

        ProxyLabSupport.Handshake jdk = lab.handshakeStraightIn(TARGETED, ProxyLabSupport.clientContext(lab.rootsWithNational));
        assertThat(jdk.leaf().getIssuerX500Principal()).as("issuer of the leaf presented straight in").isEqualTo(FORGED_ISSUER);
    }

    @Test
    void opensslStraightInForAControlNameShowsTheGenuineChain() {
        assumeTrue(ProxyLabSupport.isInstalled("openssl", "version"), "openssl is not installed");

        ProxyLabSupport.Run run = lab.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + lab.proxyPort(),
                "-servername", CONTROL, "-showcerts", "-CAfile", lab.state.publicRoots().toString(), "-no-CApath", "-no-CAstore",
                "-verify_hostname", CONTROL), Duration.ofSeconds(20));

        List<X509Certificate> shown = certificatesIn(run.stdout());
        assertThat(shown).as("certificates printed by openssl s_client -showcerts (%s)", run.describe()).isNotEmpty();
        assertThat(der(shown.get(0))).as("the leaf openssl saw is the genuine %s certificate, byte for byte", CONTROL)
                .isEqualTo(der(lab.genuineLeaf(CONTROL)));
        assertThat(sameDer(shown, lab.genuineChain(CONTROL))).as("the whole chain is the genuine one").isTrue();
        assertThat(verifyCode(run)).as("openssl verifies the genuine chain against the public roots").isEqualTo("0 (ok)");
    }

    // ------------------------------------------------------------------ openssl through the proxy

    @Test
    void opensslTrustingTheNationalRootVerifiesTheForgedChain() {
        assumeTrue(ProxyLabSupport.isInstalled("openssl", "version"), "openssl is not installed");
        String name = "twitter.com";

        ProxyLabSupport.Run run = opensslViaProxy(name, lab.state.rootsWithNational());

        assertThat(verifyCode(run)).as("openssl s_client -proxy, -CAfile roots-with-national.pem: %s", run.describe())
                .isEqualTo("0 (ok)");
        List<X509Certificate> shown = certificatesIn(run.stdout());
        assertThat(shown).as("presented chain").hasSize(2);
        assertThat(shown.get(0).getIssuerX500Principal()).as("issuer of the leaf openssl saw").isEqualTo(FORGED_ISSUER);
        assertThat(run.stdout()).as("openssl's one-line issuer").contains("i:C = KZ, CN = Security Certificate");
    }

    @Test
    void opensslTrustingOnlyPublicRootsReportsAVerifyError() {
        assumeTrue(ProxyLabSupport.isInstalled("openssl", "version"), "openssl is not installed");
        String name = "twitter.com";

        ProxyLabSupport.Run run = opensslViaProxy(name, lab.state.publicRoots());

        assertThat(verifyCode(run)).as("openssl s_client -proxy, -CAfile public-roots.pem: %s", run.describe())
                .isNotNull().isNotEqualTo("0 (ok)");
        assertThat(run.stdout() + run.stderr()).as("openssl's verdict on the forged chain").contains("unable to get local issuer certificate");
    }

    private ProxyLabSupport.Run opensslViaProxy(String name, Path caFile) {
        return lab.run(List.of("openssl", "s_client", "-proxy", "127.0.0.1:" + lab.proxyPort(), "-connect", name + ":443",
                "-servername", name, "-showcerts", "-CAfile", caFile.toString(), "-no-CApath", "-no-CAstore",
                "-verify_hostname", name), Duration.ofSeconds(20));
    }

    private static String verifyCode(ProxyLabSupport.Run run) {
        Matcher m = VERIFY_RETURN_CODE.matcher(run.stdout());
        return m.find() ? m.group(1) + " (" + m.group(2) + ")" : null;
    }

    // ------------------------------------------------------------------ a simulated population

    @Test
    void simulatedPopulationInstalledUsersSeePagesAndTheRefuserSeesCertificateErrors() throws Exception {
        List<String> targetedHosts = List.of("google.com", "facebook.com", "mail.ru", "instagram.com");
        String control = "kaspi.kz";
        List<String> hosts = new java.util.ArrayList<>(targetedHosts);
        hosts.add(control);

        List<Visit> visits = new SimulatedPopulation(lab.lab.proxyAddress(), lab.publicRoots, lab.lab.nationalRoot())
                .run(2, 1, hosts);

        assertThat(visits).as("one visit per user and host").hasSize(3 * hosts.size());
        List<Visit> installed = visits.stream().filter(Visit::installedRoot).collect(Collectors.toList());
        List<Visit> refused = visits.stream().filter(v -> !v.installedRoot()).collect(Collectors.toList());
        assertThat(installed).as("users who installed the national root").hasSize(2 * hosts.size())
                .allSatisfy(v -> {
                    assertThat(v.outcome()).as("user %d on %s", v.user(), v.host()).isEqualTo(Outcome.PAGE);
                    assertThat(v.status()).as("status for user %d on %s", v.user(), v.host()).isEqualTo(200);
                });
        assertThat(installed).filteredOn(v -> targetedHosts.contains(v.host()))
                .as("installed users are served targeted names under the national issuer")
                .allSatisfy(v -> assertThat(v.issuer()).as("issuer on %s", v.host()).isEqualTo(FORGED_ISSUER.getName()));
        assertThat(refused).filteredOn(v -> targetedHosts.contains(v.host()))
                .as("the user who refused the root, on targeted names").hasSize(targetedHosts.size())
                .allSatisfy(v -> assertThat(v.outcome()).as("refuser on %s", v.host()).isEqualTo(Outcome.CERTIFICATE_ERROR));
        assertThat(refused).filteredOn(v -> v.host().equals(control))
                .as("the user who refused the root still reaches the control name %s (genuine certificate)", control)
                .singleElement().satisfies(v -> assertThat(v.outcome()).isEqualTo(Outcome.PAGE));
    }
}
