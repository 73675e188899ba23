package org.mitmlab.lab.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.lab.DetectSetup;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;

/** What the client container gets for 'mitmlab detect': public certificates and detect.json, never a key. */
class ClientDetectFilesTest {
    @Test
    void theClientGetsTheGenuineChainsAndDetectJsonButNoKey(@TempDir Path tmp) throws Exception {
        StateDir lab = new StateDir(tmp.resolve("lab")).prepare();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        WebPki web = WebPki.loadOrGenerate(lab.webPki(), clock, random);
        PemFiles.writeCertificates(lab.publicRoots(), web.trustBundle());
        SiteCredential vk = web.loadOrIssue(DomainCatalogue.kz2019().site("vk.com").orElseThrow(), lab.sites(), clock, random);
        Path client = tmp.resolve("docker").resolve("client");

        ClientDetectFiles.stage(lab, client);

        StateDir staged = new StateDir(client);
        assertThat(PemFiles.readCertificates(staged.sites().resolve("vk.com.pem"))).as("vk.com's genuine chain, for the pins")
                .isEqualTo(vk.chain());
        assertThat(PemFiles.readCertificates(staged.publicRoots())).as("the public roots").isEqualTo(web.trustBundle());
        assertThat(staged.webPki().resolve("root.pem")).as("the public root, the backup pin").exists();
        try (Stream<Path> files = Files.walk(client)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).as("files staged for the client").noneMatch(p -> p.toString().endsWith(".key"))
                    .allSatisfy(p -> assertThat(Files.readString(p)).as(p.toString()).doesNotContain("PRIVATE KEY"));
        }
        DetectSetup setup = DetectSetup.read(staged).orElseThrow();
        assertThat(setup.hosts()).isEqualTo("/lab/common/hosts");
        assertThat(setup.trust()).as("the client's system trust store").isEqualTo("/etc/ssl/certs/ca-certificates.crt");
        assertThat(setup.ctLog()).as("the internet container's plain-HTTP listener").isEqualTo("172.30.4.10:80");
        assertThat(setup.vantage()).as("the vantage container's service").isEqualTo("http://172.30.4.5/vantage");
    }
}
