package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mitmlab.proxy.ProxyLabSupport.FORGED_ISSUER;
import static org.mitmlab.proxy.ProxyLabSupport.chainsTo;
import static org.mitmlab.proxy.ProxyLabSupport.der;
import static org.mitmlab.proxy.ProxyLabSupport.failures;
import static org.mitmlab.proxy.ProxyLabSupport.forEachName;
import static org.mitmlab.proxy.ProxyLabSupport.sameDer;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.CertificateForged;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.ConnectionClosed;
import org.mitmlab.event.ConnectionFailed;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.testing.Curl;

/**
 * The certificates a student sees through the proxy, for every name of the lab: each of the 37
 * targeted names arrives under a leaf forged by "Security Certificate" (accepted only by a machine
 * that installed the national root), and each control name under its genuine certificate, byte
 * for byte. One embedded lab for the class; names are visited in parallel to keep it fast. (The
 * pages of the targeted names, fetched with curl, are in {@link ProxyFirstVisitIntegrationTest}.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProxyCertificatesIntegrationTest {
    private static final int THREADS = 8;
    private static final Duration EACH = Duration.ofSeconds(20);
    /** The alerts a TLS client sends when it cannot trust a server certificate (JDK: certificate_unknown). */
    private static final Set<String> REJECTION_ALERTS = Set.of("certificate_unknown", "unknown_ca", "bad_certificate");

    @TempDir
    static Path tempDir;

    private static ProxyLabSupport lab;
    private static List<String> targeted;
    private static List<String> controls;

    @BeforeAll
    static void startLab() throws Exception {
        lab = ProxyLabSupport.start(tempDir);
        targeted = lab.lab.config().catalogue().targeted();
        controls = lab.lab.config().catalogue().controls();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theLabTargetsThe37NamesOf2019() {
        assertThat(targeted).as("the targeted names of the kz-2019 catalogue").hasSize(37)
                .contains("vk.com", "google.com", "facebook.com", "mail.ru", "www.youtube.com");
        assertThat(controls).as("control names (never intercepted)").isNotEmpty().doesNotContainAnyElementsOf(targeted);
    }

    @Test
    void clientTrustingTheNationalRootIsPresentedAForgedLeafForEveryTargetedName() throws Exception {
        SSLContext withNational = ProxyLabSupport.clientContext(lab.rootsWithNational);
        X509Certificate nationalRoot = lab.lab.nationalRoot();
        X509Certificate nationalIntermediate = lab.lab.nationalPki().intermediate().certificate();

        Map<String, ProxyLabSupport.Handshake> seen = forEachName(targeted, THREADS, EACH,
                name -> lab.handshakeThroughProxy(name, withNational));

        assertThat(failures(seen, h -> h.failure() != null))
                .as("targeted names whose TLS handshake through the proxy failed although the client trusts the national root")
                .isEmpty();
        Map<String, String> problems = new LinkedHashMap<>();
        for (ProxyLabSupport.Handshake h : seen.values()) {
            String name = h.name();
            X509Certificate leaf = h.leaf();
            X509Certificate genuine = lab.genuineLeaf(name);
            List<String> wrong = new ArrayList<>();
            if (!leaf.getIssuerX500Principal().equals(FORGED_ISSUER)) {
                wrong.add("issuer is " + leaf.getIssuerX500Principal());
            }
            if (h.chain().size() != 2) {
                wrong.add("chain has " + h.chain().size() + " certificates, expected leaf + intermediate");
            } else if (!Arrays.equals(der(h.chain().get(1)), der(nationalIntermediate))) {
                wrong.add("second certificate is not the national intermediate: " + h.chain().get(1).getSubjectX500Principal());
            }
            if (!chainsTo(h.chain(), List.of(nationalRoot))) {
                wrong.add("chain does not validate up to the national root");
            }
            if (chainsTo(h.chain(), lab.publicRoots)) {
                wrong.add("chain validates against the public roots alone");
            }
            if (Arrays.equals(der(leaf), der(genuine))) {
                wrong.add("the genuine certificate was presented");
            }
            if (!leaf.getSubjectX500Principal().equals(genuine.getSubjectX500Principal())) {
                wrong.add("subject " + leaf.getSubjectX500Principal() + " differs from the genuine " + genuine.getSubjectX500Principal());
            }
            if (!wrong.isEmpty()) {
                problems.put(name, String.join("; ", wrong));
            }
        }
        assertThat(problems)
                .as("targeted names whose presented certificate is not a leaf forged by C=KZ, CN=Security Certificate,"
                        + " sent with the national intermediate and chaining to the national root")
                .isEmpty();

        Map<String, String> notIntercepted = new LinkedHashMap<>();
        for (ProxyLabSupport.Handshake h : seen.values()) {
            String flow = lab.flowOf(h.localPort());
            DecisionMade d = lab.awaitInFlow(flow, DecisionMade.class, e -> true, "the proxy's decision for " + h.name());
            if (d.decision() != Decision.INTERCEPT || !h.name().equals(d.sni())) {
                notIntercepted.put(h.name(), d.toString());
            }
            lab.awaitInFlow(flow, CertificateForged.class, e -> h.name().equals(e.sni()), "a forged certificate for " + h.name());
        }
        assertThat(notIntercepted).as("targeted names whose flow was not decided INTERCEPT on their SNI").isEmpty();
    }

    @Test
    void clientTrustingOnlyPublicRootsSeesUnknownCa() throws Exception {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        SSLContext publicOnly = ProxyLabSupport.clientContext(lab.publicRoots);

        Map<String, Curl.Result> curls = forEachName(targeted, THREADS, EACH, name ->
                lab.curlViaProxy(lab.state.publicRoots(), List.of(name), "https://" + name + "/"));
        Map<String, ProxyLabSupport.Handshake> jdk = forEachName(targeted, THREADS, EACH,
                name -> lab.handshakeThroughProxy(name, publicOnly));

        assertThat(failures(curls, r -> r.exitCode() != 60 || !r.stderr().contains("SSL certificate problem")))
                .as("targeted names where curl trusting only the public roots did not fail with exit 60"
                        + " (SSL certificate problem): a user who refused the national root must see a certificate error")
                .isEmpty();
        assertThat(failures(jdk, h -> !(h.failure() instanceof SSLHandshakeException)))
                .as("targeted names where a JDK client trusting only the public roots did not get an SSLHandshakeException")
                .isEmpty();

        Map<String, String> notRecorded = new LinkedHashMap<>();
        for (ProxyLabSupport.Handshake h : jdk.values()) {
            String flow = lab.flowOf(h.localPort());
            lab.awaitInFlow(flow, ConnectionClosed.class, e -> true, "the end of the rejected connection to " + h.name());
            List<ClientRejectedCertificate> r = lab.flow(flow).stream().filter(ClientRejectedCertificate.class::isInstance)
                    .map(ClientRejectedCertificate.class::cast).collect(Collectors.toList());
            if (r.size() != 1 || !h.name().equals(r.get(0).sni()) || !REJECTION_ALERTS.contains(r.get(0).alert())) {
                notRecorded.put(h.name(), ProxyLabSupport.describe(lab.flow(flow)));
            }
        }
        assertThat(notRecorded)
                .as("targeted names whose rejected handshake (JDK client, public roots only) was not recorded as one"
                        + " ClientRejectedCertificate for that SNI")
                .isEmpty();
    }

    /**
     * curl and openssl (OpenSSL 3) send their fatal {@code unknown_ca} alert in TLS 1.3 before they
     * switch to handshake keys, i.e. as a plaintext record; the proxy must still see a user who
     * refused the root, not a generic connection failure.
     */
    @Test
    void curlThatRefusedTheNationalRootIsRecordedAsClientRejectedCertificate() throws Exception {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        int mark = lab.mark();

        Map<String, Curl.Result> curls = forEachName(targeted, THREADS, EACH, name ->
                lab.curlViaProxy(lab.state.publicRoots(), List.of(name), "https://" + name + "/"));
        assertThat(failures(curls, r -> r.exitCode() != 60)).as("curl exit codes other than 60").isEmpty();

        Map<String, String> notRecorded = new LinkedHashMap<>();
        for (String name : targeted) {
            String flow = lab.await(mark, DecisionMade.class, e -> name.equals(e.sni()), "curl's flow to " + name).flowId();
            lab.awaitInFlow(flow, ConnectionClosed.class, e -> true, "the end of curl's connection to " + name);
            boolean recorded = lab.flow(flow).stream().anyMatch(e -> e instanceof ClientRejectedCertificate r
                    && name.equals(r.sni()) && r.alert().equals("unknown_ca"));
            if (!recorded) {
                notRecorded.put(name, ProxyLabSupport.describe(lab.flow(flow).stream()
                        .filter(e -> !(e instanceof CertificateForged)).collect(Collectors.toList())));
            }
        }
        assertThat(notRecorded)
                .as("targeted names for which curl's refusal (TLS alert unknown_ca) was not recorded as"
                        + " ClientRejectedCertificate[alert=unknown_ca]; the flows' events instead")
                .isEmpty();
    }

    @Test
    void aRejectedCertificateIsExplainedOnceWithoutAVaguerConnectionFailed() throws Exception {
        SSLContext publicOnly = ProxyLabSupport.clientContext(lab.publicRoots);
        List<String> names = List.of("vk.com", "mail.google.com", "ok.ru");

        Map<String, ProxyLabSupport.Handshake> jdk = forEachName(names, THREADS, EACH,
                name -> lab.handshakeThroughProxy(name, publicOnly));

        Map<String, String> noisy = new LinkedHashMap<>();
        for (ProxyLabSupport.Handshake h : jdk.values()) {
            assertThat(h.failure()).as("%s: the client refuses the forged certificate", h.name()).isInstanceOf(SSLHandshakeException.class);
            String flow = lab.flowOf(h.localPort());
            lab.awaitInFlow(flow, ConnectionClosed.class, e -> true, "the end of the rejected connection to " + h.name());
            List<FlowEvent> events = lab.flow(flow);
            if (events.stream().anyMatch(ConnectionFailed.class::isInstance)) {
                noisy.put(h.name(), ProxyLabSupport.describe(events.stream()
                        .filter(e -> e instanceof ClientRejectedCertificate || e instanceof ConnectionFailed)
                        .collect(Collectors.toList())));
            }
        }
        assertThat(noisy)
                .as("flows that were explained by ClientRejectedCertificate but also report a ConnectionFailed"
                        + " (FlowContext.outcomeRecorded should suppress the vaguer event)")
                .isEmpty();
    }

    @Test
    void controlNamesPassThroughWithTheGenuineCertificateByteForByte() throws Exception {
        SSLContext publicOnly = ProxyLabSupport.clientContext(lab.publicRoots);

        Map<String, ProxyLabSupport.Handshake> seen = forEachName(controls, THREADS, EACH,
                name -> lab.handshakeThroughProxy(name, publicOnly));

        assertThat(failures(seen, h -> h.failure() != null))
                .as("control names whose TLS handshake failed for a client trusting only the public roots"
                        + " (a pass-through must not need the national root)")
                .isEmpty();
        Map<String, String> notGenuine = new LinkedHashMap<>();
        for (ProxyLabSupport.Handshake h : seen.values()) {
            X509Certificate leaf = h.leaf();
            List<X509Certificate> genuine = lab.genuineChain(h.name());
            if (!Arrays.equals(der(leaf), der(genuine.get(0)))) {
                notGenuine.put(h.name(), "presented " + leaf.getSubjectX500Principal() + " issued by " + leaf.getIssuerX500Principal());
            } else if (!sameDer(h.chain(), genuine)) {
                notGenuine.put(h.name(), "the leaf is genuine but the chain differs from the site's file: " + h.chain().size()
                        + " certificates presented, " + genuine.size() + " in the file");
            }
        }
        assertThat(notGenuine)
                .as("control names whose presented certificates differ from the genuine web-pki/sites/NAME.pem (DER comparison)")
                .isEmpty();

        Map<String, String> wrongDecision = new LinkedHashMap<>();
        for (ProxyLabSupport.Handshake h : seen.values()) {
            String flow = lab.flowOf(h.localPort());
            DecisionMade d = lab.awaitInFlow(flow, DecisionMade.class, e -> true, "the proxy's decision for " + h.name());
            if (d.decision() != Decision.PASS_THROUGH || !h.name().equals(d.sni())) {
                wrongDecision.put(h.name(), d.toString());
            }
            lab.awaitInFlow(flow, ConnectionClosed.class, e -> true, "the end of the connection to " + h.name());
            if (lab.flow(flow).stream().anyMatch(e -> e instanceof CertificateForged)) {
                wrongDecision.put(h.name(), "a certificate was forged in pass-through flow " + flow);
            }
        }
        assertThat(wrongDecision).as("control names not recorded as DecisionMade PASS_THROUGH").isEmpty();
    }

    @Test
    void controlPagesLoadForAClientThatRefusedTheNationalRoot() throws Exception {
        assumeTrue(Curl.isAvailable(), "curl is not installed");

        Map<String, Curl.Result> results = forEachName(controls, THREADS, EACH, name ->
                lab.curlViaProxy(lab.state.publicRoots(), List.of(name), "https://" + name + "/"));

        assertThat(failures(results, r -> r.exitCode() != 0 || r.status() != 200))
                .as("control names whose page did not load through the proxy with only the public roots trusted")
                .isEmpty();
        results.forEach((name, r) -> assertThat(r.bodyText()).as("the page of %s", name).contains(lab.serviceAsHtml(name)));
    }
}
