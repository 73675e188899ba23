package org.mitmlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.event.EventSink;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.WebPki;
import org.mitmlab.scenario.Scenario;
import org.mitmlab.scenario.ScenarioLoader;

/**
 * {@link PhasedForgeries}: kz-2019's pilot days forge with 1024-bit keys and the days after with the
 * scenario's 2048-bit profile; a scenario whose phases all forge alike mints from the main cache only.
 */
class PhasedForgeriesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static NationalPki national;
    private static X509Certificate genuine;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void pkis() {
        Clock clock = Clock.systemUTC();
        national = NationalPki.generate(clock, RANDOM, NationalPki.DEFAULT_VALIDITY);
        WebPki web = WebPki.generate(clock, RANDOM);
        genuine = web.issue(DomainCatalogue.kz2019().site("vk.com").orElseThrow(), clock, RANDOM).leaf();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        open.add(resource);
        return resource;
    }

    private PhasedForgeries holding(Scenario scenario, String phase, ForgeryCache main) {
        ScenarioPlayer player = open(ScenarioPlayer.start(scenario.name(), scenario.timeline(), Optional.of(phase), EventSink.none(),
                Clock.systemUTC(), line -> { }));
        return open(PhasedForgeries.of(main, scenario.forgery(), scenario.timeline(), national, 16, RANDOM, player));
    }

    private static int keyBits(ForgeryCache.Minted minted) {
        return ((RSAPublicKey) minted.leaf().certificate().getPublicKey()).getModulus().bitLength();
    }

    @Test
    void thePilotPhaseForgesWithItsOwnKeysAndTheMainCacheIsNotUsed() throws Exception {
        Scenario kz = new ScenarioLoader().load("kz-2019");
        ForgeryCache main = open(ForgeryCache.forProfile(national, kz.forgery(), 1, 16, RANDOM));
        PhasedForgeries pilot = holding(kz, "pilot", main);

        ForgeryCache.Minted minted = pilot.forge("vk.com", genuine).get(60, TimeUnit.SECONDS);
        assertThat(keyBits(minted)).as("forged key during the pilot").isEqualTo(1024);
        assertThat(main.mintedCount()).as("the scenario's own cache minted nothing").isZero();
    }

    @Test
    void aPhaseWithoutItsOwnProfileForgesFromTheMainCache() throws Exception {
        Scenario kz = new ScenarioLoader().load("kz-2019");
        ForgeryCache main = open(ForgeryCache.forProfile(national, kz.forgery(), 1, 16, RANDOM));
        PhasedForgeries testing = holding(kz, "testing", main);

        ForgeryCache.Minted minted = testing.forge("vk.com", genuine).get(60, TimeUnit.SECONDS);
        assertThat(keyBits(minted)).as("forged key after the pilot").isEqualTo(kz.forgery().keyBits());
        assertThat(main.mintedCount()).as("minted by the scenario's cache").isEqualTo(1);
        assertThat(testing.profileName()).isEqualTo(kz.forgery().name());
    }

    @Test
    void aScenarioWhosePhasesForgeAlikeUsesTheMainCacheOnly() throws Exception {
        Scenario refusal = new ScenarioLoader().load("refusal");
        assertThat(refusal.timeline().phases()).as("no phase of refusal names its own forgery")
                .allSatisfy(p -> assertThat(p.forgery().filter(f -> !f.equals(refusal.forgery()))).isEmpty());
        ForgeryCache main = open(ForgeryCache.forProfile(national, refusal.forgery(), 1, 16, RANDOM));
        PhasedForgeries phased = holding(refusal, refusal.timeline().steady(), main);

        ForgeryCache.Minted first = phased.forge("vk.com", genuine).get(60, TimeUnit.SECONDS);
        ForgeryCache.Minted again = phased.forge("vk.com", genuine).get(60, TimeUnit.SECONDS);
        assertThat(again.leaf()).as("the main cache's leaf, served again").isSameAs(first.leaf());
        assertThat(main.mintedCount()).isEqualTo(1);
    }
}
