package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mitmlab.proxy.ProxyLabSupport.FORGED_ISSUER;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.ConnectionClosed;
import org.mitmlab.event.ConnectionFailed;
import org.mitmlab.event.Decision;
import org.mitmlab.event.DecisionMade;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.HttpExchange;
import org.mitmlab.event.Refused;
import org.mitmlab.testing.Curl;

/**
 * What the proxy does with input that is not a proper proxy request: each gets a clear error
 * (an HTTP status with a sentence, or a TLS alert), an event saying why, and the proxy keeps
 * serving; after every test a normal intercepted request must still succeed. Destinations outside
 * the lab are only ever named in requests to the proxy; nothing is sent anywhere but 127.0.0.1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyBadInputIntegrationTest {
    /** A fatal unrecognized_name alert (TLS record 21, alert level 2, description 112). */
    private static final int ALERT_RECORD = 21;
    private static final int ALERT_UNRECOGNIZED_NAME = 112;

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

    /** After each piece of bad input: a normal intercepted request still works. */
    @AfterEach
    void proxyKeepsServing() throws Exception {
        ProxyLabSupport.Handshake h = lab.handshakeThroughProxy("vk.com", ProxyLabSupport.clientContext(lab.rootsWithNational));
        assertThat(h.failure()).as("a normal CONNECT + TLS handshake for vk.com after the bad input").isNull();
        assertThat(h.leaf().getIssuerX500Principal()).as("vk.com is still intercepted").isEqualTo(FORGED_ISSUER);
        if (Curl.isAvailable()) {
            Curl.Result r = lab.curlViaProxy(lab.state.rootsWithNational(), List.of("vk.com"), "https://vk.com/");
            assertThat(r.status()).as("a normal request through the proxy after the bad input: %s", r.describe()).isEqualTo(200);
        }
    }

    /** Everything the proxy sends until it closes the connection (bounded by the socket timeout). */
    private static byte[] readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                if (out.size() > 1 << 20) {
                    throw new AssertionError("the proxy sent more than 1 MiB in answer to bad input");
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy did not close the connection within "
                    + ProxyLabSupport.SOCKET_TIMEOUT_MILLIS / 1000 + " s; it sent: " + out.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        return out.toByteArray();
    }

    private static void assertIsFatalUnrecognizedNameAlert(byte[] answer, String what) {
        assertThat(answer).as("%s: the proxy answers with one TLS alert record", what).hasSize(7);
        assertThat(answer[0] & 0xff).as("%s: record type alert", what).isEqualTo(ALERT_RECORD);
        assertThat(answer[5] & 0xff).as("%s: alert level fatal", what).isEqualTo(2);
        assertThat(answer[6] & 0xff).as("%s: alert unrecognized_name", what).isEqualTo(ALERT_UNRECOGNIZED_NAME);
    }

    /** The flow's events once it has ended. */
    private static List<FlowEvent> endedFlow(int localPort) {
        String flow = lab.flowOf(localPort);
        lab.awaitInFlow(flow, ConnectionClosed.class, e -> true, "the end of the connection");
        return lab.flow(flow);
    }

    // ------------------------------------------------------------------ not a ClientHello

    @Test
    void garbageBytesInsteadOfAClientHelloGetAClearErrorAndAreRecorded() throws Exception {
        byte[] garbage = new byte[512];
        new Random(2019).nextBytes(garbage);
        garbage[0] = (byte) 0x9c; // neither TLS (0x16) nor the first letter of an HTTP method

        byte[] answer;
        int port;
        try (Socket s = lab.openRawToProxy()) {
            port = s.getLocalPort();
            s.getOutputStream().write(garbage);
            s.getOutputStream().flush();
            answer = readUntilClosed(s);
        }

        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertThat(text).as("the proxy's answer to 512 random bytes, then it closes the connection")
                .startsWith("HTTP/1.1 400 ").contains("not an HTTP request").contains("curl --proxy");
        List<FlowEvent> flow = endedFlow(port);
        assertThat(flow).as("events of the garbage flow: a Refused or ConnectionFailed says what was wrong")
                .anyMatch(e -> e instanceof Refused r && r.reason().contains("not an HTTP request")
                        || e instanceof ConnectionFailed f && !f.message().isBlank());
    }

    @Test
    void tlsRecordThatIsNotAClientHelloIsRefusedWithAnAlert() throws Exception {
        // a TLS handshake record (0x16) whose message is a ServerHello (type 2), not a ClientHello
        byte[] notAHello = {0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00};

        byte[] answer;
        int port;
        try (Socket s = lab.openRawToProxy()) {
            port = s.getLocalPort();
            s.getOutputStream().write(notAHello);
            s.getOutputStream().flush();
            answer = readUntilClosed(s);
        }

        assertIsFatalUnrecognizedNameAlert(answer, "a TLS record that is not a ClientHello");
        assertThat(endedFlow(port)).as("events of the flow that did not start with a ClientHello")
                .anyMatch(e -> e instanceof Refused r && r.reason().contains("ClientHello")
                        || e instanceof ConnectionFailed f && f.message().contains("ClientHello"));
    }

    // ------------------------------------------------------------------ CONNECT refusals

    @Test
    void connectToANameOutsideTheLabIs403OutsideTheLab() throws Exception {
        ProxyLabSupport.RawResponse r;
        int port;
        try (ProxyLabSupport.Tunnel t = lab.connect("example.org:443")) {
            port = t.socket().getLocalPort();
            r = t.response();
        }

        assertThat(r.status()).as("CONNECT example.org:443: %s", r.head()).isEqualTo(403);
        assertThat(r.body()).as("the body of the 403").contains("example.org").contains("outside the lab");
        List<FlowEvent> flow = endedFlow(port);
        assertThat(flow).as("a Refused event names the destination")
                .anyMatch(e -> e instanceof Refused x && "example.org:443".equals(x.destination()) && x.reason().contains("outside the lab"));
        assertThat(flow).as("the decision is REFUSE")
                .anyMatch(e -> e instanceof DecisionMade d && d.decision() == Decision.REFUSE);
    }

    @Test
    void connectToAnotherPortThan443Is403NamingPort443() throws Exception {
        ProxyLabSupport.RawResponse r;
        int port;
        try (ProxyLabSupport.Tunnel t = lab.connect("vk.com:8443")) {
            port = t.socket().getLocalPort();
            r = t.response();
        }

        assertThat(r.status()).as("CONNECT vk.com:8443: %s", r.head()).isEqualTo(403);
        assertThat(r.body()).as("the body of the 403").contains("8443").contains("port 443");
        assertThat(endedFlow(port)).as("a Refused event for vk.com:8443")
                .anyMatch(e -> e instanceof Refused x && "vk.com:8443".equals(x.destination()));
    }

    // ------------------------------------------------------------------ ClientHellos sent straight in

    @Test
    void clientHelloForANameOutsideTheLabSentStraightInIsRefusedWithATlsAlert() throws Exception {
        SSLContext ssl = ProxyLabSupport.clientContext(lab.publicRoots);

        ProxyLabSupport.Handshake h = lab.handshakeStraightIn("example.org", ssl);

        assertThat(h.failure()).as("TLS straight in with SNI example.org").isInstanceOf(SSLException.class);
        assertThat(h.failure().getMessage()).as("the alert the JDK client received").contains("unrecognized_name");
        List<FlowEvent> flow = endedFlow(h.localPort());
        assertThat(flow).as("a Refused event for example.org")
                .anyMatch(e -> e instanceof Refused x && "example.org".equals(x.destination()) && x.reason().contains("outside the lab"));
    }

    @Test
    void clientHelloWithoutSniSentStraightInIsRefused() throws Exception {
        SSLContext ssl = ProxyLabSupport.clientContext(lab.publicRoots);

        ProxyLabSupport.Handshake h = lab.handshakeStraightIn(null, ssl);

        assertThat(h.failure()).as("TLS straight in without SNI").isInstanceOf(SSLException.class);
        assertThat(h.failure().getMessage()).as("the alert the JDK client received").contains("unrecognized_name");
        assertThat(endedFlow(h.localPort())).as("a Refused event explains that there was no SNI")
                .anyMatch(e -> e instanceof Refused x && x.reason().contains("no SNI"));
    }

    @Test
    void refusedClientHelloWithoutSniDoesNotShowNullAsItsDestination() throws Exception {
        ProxyLabSupport.Handshake h = lab.handshakeStraightIn(null, ProxyLabSupport.clientContext(lab.publicRoots));

        DecisionMade d = endedFlow(h.localPort()).stream().filter(DecisionMade.class::isInstance).map(DecisionMade.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no DecisionMade for the no-SNI flow"));
        assertThat(d.decision()).as("decision for a ClientHello without SNI").isEqualTo(Decision.REFUSE);
        assertThat(d.destination()).as("DecisionMade.destination as a student reads it in the event table")
                .doesNotContain("null");
    }

    // ------------------------------------------------------------------ plain HTTP

    @Test
    void plainOriginFormGetIs400ExplainingHowToUseTheProxy() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");

        Curl.Result r = Curl.in(lab.work).fetch("http://127.0.0.1:" + lab.proxyPort() + "/");

        assertThat(r.status()).as("GET / HTTP/1.1 sent to the proxy as if it were a web server: %s", r.describe()).isEqualTo(400);
        assertThat(r.bodyText()).as("the 400 explains how to use the proxy").contains("not a web server").contains("curl --proxy");
    }

    @Test
    void absoluteFormGetOutsideTheLabIs403() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        int mark = lab.mark();

        Curl.Result r = lab.curlViaProxy(null, List.of("example.org"), "http://example.org/");

        assertThat(r.status()).as("GET http://example.org/ through the proxy: %s", r.describe()).isEqualTo(403);
        assertThat(r.bodyText()).as("the body of the 403").contains("outside the lab");
        lab.await(mark, Refused.class, e -> "example.org:80".equals(e.destination()), "the refusal of example.org:80");
    }

    @Test
    void absoluteFormGetToALabSiteIsRedirectedToHttpsAndRecorded() {
        assumeTrue(Curl.isAvailable(), "curl is not installed");
        String path = "/?probe=" + UUID.randomUUID().toString().substring(0, 8);

        Curl.Result r = lab.curlViaProxy(null, List.of("vk.com"), "http://vk.com" + path);

        assertThat(r.status()).as("GET http://vk.com%s through the proxy: %s", path, r.describe()).isEqualTo(301);
        assertThat(r.header("location")).as("the redirect").hasValue("https://vk.com" + path);
        HttpExchange x = lab.await(0, HttpExchange.class, e -> path.equals(e.path()), "the plain-HTTP exchange");
        assertThat(x.scheme()).as("scheme of the recorded exchange").isEqualTo("http");
        assertThat(x.host()).as("host").isEqualTo("vk.com");
        assertThat(x.status()).as("status").isEqualTo(301);
        assertThat(x.method()).as("method").isEqualTo("GET");
        assertThat(lab.flow(x.flowId())).as("the decision for plain HTTP")
                .anyMatch(e -> e instanceof DecisionMade d && d.decision() == Decision.PLAIN_HTTP);
    }
}
