package org.mitmlab.lab;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mitmlab.pki.Forgeries;
import org.mitmlab.pki.ForgeryCache;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.SignatureProvider;
import org.mitmlab.scenario.Timeline;

/**
 * Forged leaves made the way the current phase of the timeline says: the 2019 box used 1024-bit
 * keys until 19 July and 2048-bit keys after. One cache (and key stock) per distinct profile, so a
 * leaf minted in one phase is never served in another.
 */
public final class PhasedForgeries implements Forgeries, AutoCloseable {
    /** Keys kept ahead for a phase's own profile: phases are short and mostly see few new names. */
    private static final int PHASE_KEY_STOCK = 8;

    private final ForgeryCache main;
    private final ForgeryProfile mainProfile;
    private final Map<ForgeryProfile, ForgeryCache> byProfile = new LinkedHashMap<>();
    private final ScenarioPlayer player;

    private PhasedForgeries(ForgeryCache main, ForgeryProfile mainProfile, ScenarioPlayer player) {
        this.main = main;
        this.mainProfile = mainProfile;
        this.player = player;
    }

    /**
     * The forgeries for {@code timeline}: {@code main} for phases without their own profile, and a
     * cache of its own for each profile a phase names (none when every phase forges as the scenario
     * does, and then every leaf comes from {@code main}). Closing this closes those; {@code main} stays
     * its owner's.
     */
    public static PhasedForgeries of(ForgeryCache main, ForgeryProfile mainProfile, Timeline timeline, NationalPki national,
            int capacity, SecureRandom random, ScenarioPlayer player) {
        PhasedForgeries f = new PhasedForgeries(main, mainProfile, player);
        for (Timeline.Phase p : timeline.phases()) {
            p.forgery().filter(profile -> !profile.equals(mainProfile) && !f.byProfile.containsKey(profile))
                    .ifPresent(profile -> f.byProfile.put(profile, ForgeryCache.forProfile(national, profile, PHASE_KEY_STOCK,
                            capacity, random)));
        }
        return f;
    }

    private ForgeryCache current() {
        if (byProfile.isEmpty()) {
            return main; // every phase forges alike: no phase lookup on each connection
        }
        return player.currentPhase().forgery().map(p -> byProfile.getOrDefault(p, main)).orElse(main);
    }

    @Override
    public CompletableFuture<ForgeryCache.Minted> forge(String name, X509Certificate genuine) {
        return current().forge(name, genuine);
    }

    @Override
    public String profileName() {
        return current().profileName();
    }

    /** The main cache's: every phase's cache signs with the fastest provider this machine has. */
    @Override
    public SignatureProvider signatures() {
        return main.signatures();
    }

    @Override
    public void close() {
        byProfile.values().forEach(ForgeryCache::close);
    }
}
