package org.mitmlab.lab;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.scenario.ResolvedScenario;
import org.mitmlab.scenario.ScenarioLoader;

/**
 * Everything that configures an embedded lab, validated once.
 *
 * @param stateDir      where keys, certificates and events live
 * @param bind          address of the proxy listener (127.0.0.1 unless told otherwise)
 * @param proxyPort     port of the proxy listener; 0 picks a free one
 * @param rootValidity  lifetime of a newly generated national root
 * @param catalogue     the lab's sites and which of them are targeted
 * @param profile       how forged leaves are made
 * @param dashboardPort port of the dashboard on 127.0.0.1; 0 picks a free one, {@link #NO_DASHBOARD} runs none
 * @param keyLog        write the TLS secrets of both legs of every intercepted connection to
 *                      {@link StateDir#keyLog()} (off by default: the file decrypts what the lab carried)
 * @param scenario      the lesson, resolved for one student: population, timeline, attackers, browser block
 *                      (its targets and forgery are copied into {@code catalogue} and {@code profile} by
 *                      {@link #withScenario}; tests may override those two)
 * @param holdPhase     the timeline phase to hold, or empty to play the timeline
 */
public record LabConfig(StateDir stateDir, InetAddress bind, int proxyPort, Duration rootValidity,
        DomainCatalogue catalogue, ForgeryProfile profile, int dashboardPort, boolean keyLog, ResolvedScenario scenario,
        Optional<String> holdPhase) {
    public static final int DEFAULT_PROXY_PORT = 8080;
    public static final int DEFAULT_DASHBOARD_PORT = 8081;
    /** {@link #dashboardPort} of a lab without a dashboard (the default: tests and the demo need none). */
    public static final int NO_DASHBOARD = -1;

    public LabConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bind, "bind");
        if (proxyPort < 0 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxy port must be 0..65535, got " + proxyPort);
        }
        if (rootValidity.compareTo(Duration.ofDays(2)) < 0 || rootValidity.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException("root validity must be between 2 days and 10 years");
        }
        Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(profile, "profile");
        if (dashboardPort < NO_DASHBOARD || dashboardPort > 65535) {
            throw new IllegalArgumentException("dashboard port must be 0..65535 (or none), got " + dashboardPort);
        }
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(holdPhase, "holdPhase");
        holdPhase.ifPresent(p -> {
            if (scenario.scenario().timeline().phase(p).isEmpty()) {
                throw new IllegalArgumentException("scenario " + scenario.name() + " has no phase " + p);
            }
        });
    }

    /** A lab without a dashboard (as before the dashboard existed; add one with {@link #withDashboardPort}). */
    public LabConfig(StateDir stateDir, InetAddress bind, int proxyPort, Duration rootValidity, DomainCatalogue catalogue,
            ForgeryProfile profile) {
        this(stateDir, bind, proxyPort, rootValidity, catalogue, profile, NO_DASHBOARD, false, defaultScenario(), steady(defaultScenario()));
    }

    /** A plain {@code mitmlab up}: kz-2019 holding its steady phase (interception on, no timeline). */
    private static ResolvedScenario defaultScenario() {
        return new ScenarioLoader().load(ScenarioLoader.DEFAULT).resolveDemo();
    }

    private static Optional<String> steady(ResolvedScenario s) {
        return Optional.of(s.scenario().timeline().steady());
    }

    public static LabConfig defaults(StateDir stateDir) {
        ResolvedScenario scenario = defaultScenario();
        return new LabConfig(stateDir, InetAddress.getLoopbackAddress(), DEFAULT_PROXY_PORT,
                org.mitmlab.pki.NationalPki.DEFAULT_VALIDITY, scenario.catalogue(DomainCatalogue.kz2019()),
                scenario.scenario().forgery(), NO_DASHBOARD, false, scenario, steady(scenario));
    }

    public LabConfig withProxyPort(int port) {
        return new LabConfig(stateDir, bind, port, rootValidity, catalogue, profile, dashboardPort, keyLog, scenario, holdPhase);
    }

    public LabConfig withBind(InetAddress address) {
        return new LabConfig(stateDir, address, proxyPort, rootValidity, catalogue, profile, dashboardPort, keyLog, scenario, holdPhase);
    }

    /** With a dashboard on 127.0.0.1:{@code port} (0: a free port), or none with {@link #NO_DASHBOARD}. */
    public LabConfig withDashboardPort(int port) {
        return new LabConfig(stateDir, bind, proxyPort, rootValidity, catalogue, profile, port, keyLog, scenario, holdPhase);
    }

    /** With the TLS key log on or off ({@link #keyLog}). */
    public LabConfig withKeyLog(boolean on) {
        return new LabConfig(stateDir, bind, proxyPort, rootValidity, catalogue, profile, dashboardPort, on, scenario, holdPhase);
    }

    /**
     * With a scenario: its targets, forgery, population, timeline and the rest.
     *
     * @param hold a phase to hold, or empty to play the timeline
     */
    public LabConfig withScenario(ResolvedScenario s, Optional<String> hold) {
        return new LabConfig(stateDir, bind, proxyPort, rootValidity, s.catalogue(DomainCatalogue.kz2019()),
                s.scenario().forgery(), dashboardPort, keyLog, s, hold);
    }

    /** With another forgery profile (tests of other interceptors). */
    public LabConfig withProfile(ForgeryProfile p) {
        return new LabConfig(stateDir, bind, proxyPort, rootValidity, catalogue, p, dashboardPort, keyLog, scenario, holdPhase);
    }

    public boolean hasDashboard() {
        return dashboardPort != NO_DASHBOARD;
    }
}
