package org.mitmlab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.EventJson;
import org.mitmlab.event.FlowEvent;
import org.mitmlab.event.JsonLinesEventWriter;
import org.mitmlab.event.VantageQueried;
import org.mitmlab.net.TlsContexts;
import org.mitmlab.net.Transport;
import org.mitmlab.origin.OriginServer;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;

/**
 * The vantage service as the Docker lab's vantage container runs it ({@code mitmlab vantage}): on
 * its own port, taking each site's address from a hosts file, answering with the same JSON as the
 * embedded lab's {@code vantage.lab} and recording every question as a vantage-queried event. The
 * "sites" are a simulated Internet on 127.0.0.1; a name listed at 127.0.0.2, where nothing listens,
 * shows the service connects where the hosts file says.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VantageServerTest {
    @TempDir
    static Path dir;

    static Map<String, SiteCredential> credentials;
    static Transport transport;
    static OriginServer origin;
    static JsonLinesEventWriter events;
    static VantageService service;
    static VantageServer server;
    static Path hostsFile;
    static Path eventsFile;

    @BeforeAll
    static void startTheSitesAndTheVantageService() throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        WebPki web = WebPki.generate(clock, random);
        credentials = new LinkedHashMap<>();
        for (String name : List.of("rcku.kz", "vk.com", "halykbank.kz")) {
            credentials.put(name, web.issue(catalogue.site(name).orElseThrow(), clock, random));
        }
        transport = Transport.create(1);
        origin = new OriginServer(transport, new TlsContexts(true), catalogue, credentials, web, clock)
                .start(InetAddress.getLoopbackAddress(), 0, 0);
        hostsFile = dir.resolve("hosts");
        Files.writeString(hostsFile, """
                # lab sites
                127.0.0.1 vk.com
                127.0.0.1 halykbank.kz
                127.0.0.2 rcku.kz
                8.8.8.8 google.com
                """);
        eventsFile = dir.resolve("events.jsonl");
        events = new JsonLinesEventWriter(eventsFile, 1024 * 1024, 1, new EventJson());
        AtomicLong ids = new AtomicLong();
        // the wiring of 'mitmlab vantage' (VantageCommand)
        service = new VantageService("vantage", SiteAddresses.hostsFile(LabHostsFile.read(hostsFile), origin.httpsAddress().getPort()),
                Duration.ofSeconds(5), (host, outcome) -> events.emit(new VantageQueried("vantage-" + ids.incrementAndGet(),
                        clock.instant(), host, outcome)));
        server = new VantageServer(transport, service).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server, service, origin, events, transport}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void answersWithTheGenuineChainInTheEmbeddedLabsJsonShape() throws Exception {
        LabHttp.Response r = LabHttp.get(server.address(), "172.30.4.5", "/vantage?host=vk.com", Duration.ofSeconds(10));
        assertThat(r.status()).as("status; body %s", r.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(r.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("the fields of the embedded lab's vantage.lab answer").containsExactly("host", "sni", "observedFrom", "chain", "error");
        assertThat(body.path("host").asText()).isEqualTo("vk.com");
        assertThat(body.path("sni").asText()).isEqualTo("vk.com");
        assertThat(body.path("error").isNull()).as("no error").isTrue();
        assertThat(body.path("observedFrom").asText()).as("where it stands").startsWith("vantage, straight to each site's own address")
                .contains(hostsFile.toString());
        List<X509Certificate> chain = new ArrayList<>();
        body.path("chain").forEach(p -> chain.addAll(PemFiles.parseCertificates(p.asText())));
        assertThat(chain).as("the chain the site serves").isEqualTo(credentials.get("vk.com").chain());
    }

    @Test
    void detectsClientReadsItsAnswer() {
        Vantage vantage = Vantage.service(URI.create("http://127.0.0.1:" + server.address().getPort() + "/vantage"), server.address(),
                Duration.ofSeconds(5));
        ChainFetcher.Fetched seen = vantage.observe("halykbank.kz");
        assertThat(seen.failure()).as("failure").isNull();
        assertThat(seen.chain()).isEqualTo(credentials.get("halykbank.kz").chain());
    }

    @Test
    void connectsToTheAddressTheHostsFileGivesEachName() throws Exception {
        LabHttp.Response r = LabHttp.get(server.address(), "vantage", "/vantage?host=rcku.kz", Duration.ofSeconds(10));
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(r.status()).isEqualTo(200);
        assertThat(body.path("chain")).as("nothing listens at rcku.kz's listed address").isEmpty();
        assertThat(body.path("error").asText()).as("what the vantage point saw").contains("127.0.0.2:" + origin.httpsAddress().getPort());
    }

    @Test
    void refusesNamesWithoutAPrivateAddressInTheHostsFile() throws Exception {
        for (String host : List.of("google.com", "example.org")) {
            LabHttp.Response r = LabHttp.get(server.address(), "vantage", "/vantage?host=" + host, Duration.ofSeconds(10));
            assertThat(r.status()).as("status for %s", host).isEqualTo(400);
            assertThat(r.body()).as("answer for %s", host).contains("not a site of the simulated Internet");
        }
        LabHttp.Response wrongPath = LabHttp.get(server.address(), "vantage", "/ct/v1/entries?name=vk.com", Duration.ofSeconds(10));
        assertThat(wrongPath.status()).isEqualTo(404);
    }

    @Test
    void everyQuestionBecomesAVantageQueriedEvent() throws Exception {
        LabHttp.get(server.address(), "vantage", "/vantage?host=halykbank.kz", Duration.ofSeconds(10));
        LabHttp.get(server.address(), "vantage", "/vantage?host=rcku.kz", Duration.ofSeconds(10));
        EventJson json = new EventJson();
        List<VantageQueried> seen = List.of();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; Thread.sleep(50)) {
            List<VantageQueried> now = new ArrayList<>();
            if (Files.exists(eventsFile)) {
                for (String line : Files.readAllLines(eventsFile)) {
                    FlowEvent e = json.fromJson(line);
                    if (e instanceof VantageQueried q) {
                        now.add(q);
                    }
                }
            }
            seen = now;
            if (seen.stream().anyMatch(q -> q.host().equals("rcku.kz")) && seen.stream().anyMatch(q -> q.host().equals("halykbank.kz"))) {
                break;
            }
        }
        assertThat(seen).as("vantage-queried events in " + eventsFile).anySatisfy(q -> {
            assertThat(q.host()).isEqualTo("halykbank.kz");
            assertThat(q.outcome()).isEqualTo("ok");
            assertThat(q.flowId()).startsWith("vantage-");
        }).anySatisfy(q -> {
            assertThat(q.host()).isEqualTo("rcku.kz");
            assertThat(q.outcome()).as("the failure, as the answer gave it").contains("127.0.0.2");
        }).noneSatisfy(q -> assertThat(q.host()).isEqualTo("google.com"));
    }
}
