package org.mitmlab.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.domains.LabSite;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.mitmlab.testing.Curl;

/**
 * The simulated Internet, end to end: a real {@link OriginServer} on loopback ephemeral ports, a
 * freshly generated public PKI, and clients that trust only its root (curl with {@code --resolve},
 * and JDK SSLSockets for the certificate chain). No traffic leaves 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginServerTest {
    /** A handful of sites (issuing all of them is slow): EV/OV/DV, RSA and EC, Kazakh and global. */
    private static final List<String> SITES = List.of("rcku.kz", "google.com", "vk.com", "halykbank.kz", "mail.google.com");
    private static final InetAddress LOOPBACK = loopback();

    @TempDir
    static Path dir;

    private static DomainCatalogue catalogue;
    private static WebPki webPki;
    private static Map<String, SiteCredential> credentials;
    private static Transport transport;
    private static OriginServer origin;
    private static Path trustBundle;

    @BeforeAll
    static void startTheSimulatedInternet() throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        catalogue = DomainCatalogue.kz2019();
        webPki = WebPki.generate(clock, random);
        credentials = new LinkedHashMap<>();
        for (String name : SITES) {
            credentials.put(name, webPki.issue(site(name), clock, random));
        }
        trustBundle = writePem(dir.resolve("trust-bundle.pem"), webPki.trustBundle());
        transport = Transport.create(2);
        origin = new OriginServer(transport, new TlsContexts(true), catalogue, credentials, webPki, clock)
                .start(LOOPBACK, 0, 0);
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
        if (transport != null) {
            transport.close();
        }
    }

    // ---- HTTPS: content ----

    @ParameterizedTest
    @ValueSource(strings = {"rcku.kz", "google.com", "vk.com", "halykbank.kz", "mail.google.com"})
    void everySiteAnswersItsHomePageNamingItsService(String name) {
        Curl.Result r = https().fetch("https://" + name + ":" + origin.httpsAddress().getPort() + "/");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.header("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(r.header("server")).contains("mitmlab-origin");
        assertThat(r.header("strict-transport-security")).isPresent();
        assertThat(r.bodyText())
                .contains("<title>" + html(site(name).service()) + " - " + html(name) + "</title>")
                .contains("Welcome to <b>" + html(site(name).service()) + "</b>")
                .contains(html(site(name).operator()))
                .contains("<form method=\"post\" action=\"/login\">");
    }

    @ParameterizedTest
    @ValueSource(strings = {"google.com", "halykbank.kz"})
    void http2IsNegotiatedWhenTheClientOffersIt(String name) {
        assumeTrue(Curl.supportsHttp2(), "this curl has no HTTP/2 (nghttp2)");
        Curl.Result r = https().fetch("--http2", "https://" + name + ":" + origin.httpsAddress().getPort() + "/");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.httpVersion()).as(r.describe()).isEqualTo("2");
        assertThat(r.status()).isEqualTo(200);
        // routed by :authority (the HTTP/2 Host), the page is the site's own
        assertThat(r.bodyText()).contains("Welcome to <b>" + html(site(name).service()) + "</b>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vk.com", "rcku.kz"})
    void http11IsUsedWhenOnlyHttp11IsOffered(String name) {
        Curl.Result r = https().fetch("--http1.1", "https://" + name + ":" + origin.httpsAddress().getPort() + "/");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.httpVersion()).as(r.describe()).isEqualTo("1.1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).contains("Welcome to <b>" + html(site(name).service()) + "</b>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http2", "--http1.1"})
    void loginPostSignsTheUserInWithoutEchoingThePassword(String protocol) {
        assumeTrue(!protocol.equals("--http2") || Curl.supportsHttp2(), "this curl has no HTTP/2 (nghttp2)");
        for (String name : List.of("halykbank.kz", "vk.com")) {
            String user = "aigerim.n@" + name;
            String password = "correct horse & battery <staple>";
            Curl.Result r = https().fetch(protocol, "--data-urlencode", "username=" + user,
                    "--data-urlencode", "password=" + password,
                    "https://" + name + ":" + origin.httpsAddress().getPort() + "/login");

            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(r.bodyText())
                    .contains("Signed in to " + html(site(name).service()) + " as <b>" + html(user) + "</b>")
                    .doesNotContain(password)
                    .doesNotContain(html(password));
        }
    }

    @Test
    void loginWithoutAPasswordIsRefused() {
        Curl.Result r = https().fetch("--data-urlencode", "username=someone",
                "https://vk.com:" + origin.httpsAddress().getPort() + "/login");

        assertThat(r.status()).as(r.describe()).isEqualTo(400);
        assertThat(r.bodyText()).doesNotContain("Signed in to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rcku.kz", "google.com", "vk.com"})
    void apiStatusIsJsonNamingTheHost(String name) throws IOException {
        Curl.Result r = https().fetch("https://" + name + ":" + origin.httpsAddress().getPort() + "/api/status");

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.header("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertThat(json.path("host").asText()).isEqualTo(name);
        assertThat(json.path("service").asText()).isEqualTo(site(name).service());
        assertThat(json.path("operator").asText()).isEqualTo(site(name).operator());
        assertThat(json.path("simulated").asBoolean()).isTrue();
        assertThat(Instant.parse(json.path("time").asText())).isBefore(Instant.now().plusSeconds(5));
    }

    @Test
    void anUnknownPathIsA404OfThatSite() {
        Curl.Result r = https().fetch("https://google.com:" + origin.httpsAddress().getPort() + "/no/such/page");

        assertThat(r.status()).as(r.describe()).isEqualTo(404);
        assertThat(r.bodyText()).contains("There is no page /no/such/page on google.com");
    }

    // ---- HTTPS: the genuine certificate chain ----

    @ParameterizedTest
    @ValueSource(strings = {"rcku.kz", "google.com", "vk.com", "halykbank.kz", "mail.google.com"})
    void theGenuineChainIsTheLeafForTheSniNameAndTheIssuingCa(String name) throws Exception {
        X509Certificate[] chain = handshake(name);

        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain[0];
        X509Certificate ca = chain[1];
        assertThat(leaf).isEqualTo(credentials.get(name).leaf());
        assertThat(ca).isEqualTo(webPki.issuingCa().certificate());
        assertThat(dnsNames(leaf)).contains(name);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        leaf.verify(ca.getPublicKey());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        // the root is not sent, as on the real Web
        assertThat(chain).doesNotContain(webPki.root().certificate());
    }

    @Test
    void aClientWithoutSniGetsTheDefaultSite() throws Exception {
        X509Certificate[] chain = handshake(null);

        assertThat(chain[0]).isEqualTo(credentials.get(OriginServer.DEFAULT_SITE).leaf());
    }

    @Test
    void curlRejectsTheServerWhenItDoesNotTrustTheLabRoot() throws IOException {
        Path otherRoot = writePem(dir.resolve("unrelated-root.pem"),
                List.of(WebPki.generate(Clock.systemUTC(), new SecureRandom()).root().certificate()));
        Curl.Result r = Curl.in(dir).caCert(otherRoot).resolve("vk.com", origin.httpsAddress())
                .fetch("https://vk.com:" + origin.httpsAddress().getPort() + "/");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(60); // CURLE_PEER_FAILED_VERIFICATION
    }

    // ---- plain HTTP: redirects and the CA repository ----

    @Test
    void plainHttpRedirectsALabSiteToHttps() {
        int port = origin.httpAddress().getPort();
        Curl.Result r = http().fetch("http://vk.com:" + port + "/x");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.status()).as(r.describe()).isEqualTo(301);
        assertThat(r.header("location")).contains("https://vk.com/x");

        Curl.Result withQuery = http().fetch("http://halykbank.kz:" + port + "/login?next=%2Fapi");
        assertThat(withQuery.status()).as(withQuery.describe()).isEqualTo(301);
        assertThat(withQuery.header("location")).contains("https://halykbank.kz/login?next=%2Fapi");
    }

    @Test
    void plainHttpRefusesANameOutsideTheLab() {
        Curl.Result r = http().fetch("http://example.org:" + origin.httpAddress().getPort() + "/");

        assertThat(r.status()).as(r.describe()).isEqualTo(404);
    }

    @Test
    void theCaRepositoryServesAParseableCrlOfTheIssuingCa() throws Exception {
        Curl.Result r = http().fetch(WebPki.CA_CRL_URL.replace(WebPki.REPOSITORY_HOST,
                WebPki.REPOSITORY_HOST + ":" + origin.httpAddress().getPort()));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.header("content-type")).contains("application/pkix-crl");
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(r.body()));
        X509Certificate ca = webPki.issuingCa().certificate();
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        crl.verify(ca.getPublicKey());
        assertThat(crl.getRevokedCertificates()).isNullOrEmpty();
        assertThat(crl.getNextUpdate()).isAfter(new java.util.Date());
        assertThat(crl.isRevoked(credentials.get("vk.com").leaf())).isFalse();
    }

    @Test
    void theCaRepositoryServesTheIssuingCaCertificate() throws Exception {
        Curl.Result r = http().fetch(WebPki.CA_CERT_URL.replace(WebPki.REPOSITORY_HOST,
                WebPki.REPOSITORY_HOST + ":" + origin.httpAddress().getPort()));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(r.body()));
        assertThat(cert).isEqualTo(webPki.issuingCa().certificate());
    }

    // ---- helpers ----

    /** curl trusting only the lab root, with every test site pinned to the HTTPS listener. */
    private static Curl https() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        Curl curl = Curl.in(dir).caCert(trustBundle);
        for (String name : SITES) {
            curl.resolve(name, origin.httpsAddress());
        }
        return curl;
    }

    /** curl with lab names and the CA repository host pinned to the plain-HTTP listener. */
    private static Curl http() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        Curl curl = Curl.in(dir).resolve(WebPki.REPOSITORY_HOST, origin.httpAddress())
                .resolve("example.org", origin.httpAddress());
        for (String name : SITES) {
            curl.resolve(name, origin.httpAddress());
        }
        return curl;
    }

    /**
     * A TLS handshake with a JDK client that trusts only the lab root; with {@code sni}, it is sent and
     * the leaf is checked against it (HTTPS endpoint identification). Returns the chain the server sent.
     */
    private static X509Certificate[] handshake(String sni) throws IOException, GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, TlsContexts.trustManagers(webPki.trustBundle()).getTrustManagers(), new SecureRandom());
        InetSocketAddress server = origin.httpsAddress();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(server, 5_000);
            socket.setSoTimeout(10_000);
            SSLParameters params = socket.getSSLParameters();
            if (sni != null) {
                params.setServerNames(List.of(new SNIHostName(sni)));
                params.setEndpointIdentificationAlgorithm("HTTPS");
            } else {
                params.setServerNames(List.of());
            }
            socket.setSSLParameters(params);
            socket.startHandshake();
            Certificate[] peer = socket.getSession().getPeerCertificates();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : peer) {
                chain.add((X509Certificate) c);
            }
            return chain.toArray(X509Certificate[]::new);
        }
    }

    private static List<String> dnsNames(X509Certificate cert) throws GeneralSecurityException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(2).equals(san.get(0))) {
                    names.add((String) san.get(1));
                }
            }
        }
        return names;
    }

    private static LabSite site(String name) {
        return catalogue.site(name).orElseThrow(() -> new AssertionError("not a lab site: " + name));
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Path writePem(Path file, List<X509Certificate> certs) throws IOException {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        try {
            for (X509Certificate c : certs) {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        return Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
