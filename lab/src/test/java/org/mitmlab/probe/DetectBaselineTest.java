package org.mitmlab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.detect.Detectors;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.lab.EmbeddedLab;
import org.mitmlab.lab.LabConfig;
import org.mitmlab.lab.StateDir;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.NationalPki;

/**
 * False positives: a lab where nothing is targeted (the proxy passes every name through). Every
 * detector must run and stay silent on every host, and detect exits 0.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DetectBaselineTest {
    @TempDir
    static Path tmp;

    static StateDir state;
    static EmbeddedLab lab;

    @BeforeAll
    static void startLab() throws InterruptedException {
        state = new StateDir(tmp.resolve("state"));
        LabConfig nothingTargeted = new LabConfig(state, InetAddress.getLoopbackAddress(), 0, NationalPki.DEFAULT_VALIDITY,
                DomainCatalogue.kz2019().withTargets(Set.of()), ForgeryProfile.kz2019());
        lab = EmbeddedLab.start(nothingTargeted, Clock.systemUTC(), new SecureRandom(), m -> { }, true);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyDetectorIsSilentOnEveryHost() {
        DetectCli.Result r = DetectCli.detect(state, "--all", "--json");
        assertThat(r.exit()).as("stdout: %s\nstderr: %s", r.out(), r.err()).isEqualTo(0);
        JsonNode hosts = r.json().path("hosts");
        assertThat(hosts).hasSize(48);
        for (JsonNode h : hosts) {
            String host = h.path("host").asText();
            assertThat(h.path("verdict").asText()).as("verdict for %s", host).isEqualTo("genuine");
            assertThat(h.path("findings")).as("findings (heuristics included) for %s", host).isEmpty();
            assertThat(h.path("skipped")).as("every detector had what it needs for %s", host).isEmpty();
            assertThat(h.path("silent")).as("silent detectors for %s", host).hasSize(Detectors.all().size());
        }
    }

    @Test
    void theTransparentPathIsSilentToo() {
        DetectCli.Result r = DetectCli.detect(state, "vk.com", "google.com", "rcku.kz", "--connect",
                "127.0.0.1:" + lab.proxyAddress().getPort(), "--vantage", "DIRECT", "--json");
        assertThat(r.exit()).as("stderr: %s", r.err()).isEqualTo(0);
        for (String host : new String[] {"vk.com", "google.com", "rcku.kz"}) {
            assertThat(r.host(host).path("findings")).as("findings for %s", host).isEmpty();
        }
    }
}
