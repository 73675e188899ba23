package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mitmlab.domains.DomainCatalogue;

/**
 * The intercept / pass-through / refuse table, against the shipped kz-2019 catalogue: the SNI is the
 * trigger, the route is the CONNECT host in explicit mode and the SNI in straight-in mode, and a
 * route outside the lab is always refused.
 */
class InterceptionPolicyTest {
    private static final DomainCatalogue CATALOGUE = DomainCatalogue.kz2019();
    private static final InterceptionPolicy POLICY =
            new InterceptionPolicy(CATALOGUE::isTargeted, CATALOGUE::isInsideLab);

    /**
     * Columns: SNI ('' = null), CONNECT host ('' = null, TLS straight in), expected verdict, expected
     * SNI of an Intercept / route, or a fragment the refusal must contain.
     */
    @ParameterizedTest(name = "[{index}] sni={0} connect={1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
        // TLS straight in: the SNI is both trigger and route
        "vk.com,             -,                    INTERCEPT,   vk.com|vk.com",
        "www.facebook.com,   -,                    INTERCEPT,   www.facebook.com|www.facebook.com",
        "mail.google.com,    -,                    INTERCEPT,   mail.google.com|mail.google.com",
        "halykbank.kz,       -,                    PASS,        halykbank.kz",
        "www.twitter.com,    -,                    PASS,        www.twitter.com",
        "github.com,         -,                    PASS,        github.com",
        "example.org,        -,                    REFUSE,      example.org",
        "sub.vk.com,         -,                    REFUSE,      sub.vk.com",
        "-,                  -,                    REFUSE,      no SNI",
        // normalisation: upper case and one trailing dot
        "VK.COM.,            -,                    INTERCEPT,   vk.com|vk.com",
        "Mail.Google.Com,    -,                    INTERCEPT,   mail.google.com|mail.google.com",
        "HalykBank.KZ.,      -,                    PASS,        halykbank.kz",
        // explicit proxy mode: route = CONNECT host, trigger = SNI
        "vk.com,             vk.com,               INTERCEPT,   vk.com|vk.com",
        "vk.com,             VK.com.,              INTERCEPT,   vk.com|vk.com",
        "vk.com,             halykbank.kz,         INTERCEPT,   vk.com|halykbank.kz",
        "www.youtube.com,    github.com,           INTERCEPT,   www.youtube.com|github.com",
        "halykbank.kz,       vk.com,               PASS,        vk.com",
        "-,                  vk.com,               PASS,        vk.com",
        "-,                  kaspi.kz,             PASS,        kaspi.kz",
        "example.org,        kaspi.kz,             PASS,        kaspi.kz",
        "vk.com,             example.org,          REFUSE,      example.org",
        "halykbank.kz,       evil.example,         REFUSE,      evil.example",
        "-,                  example.org,          REFUSE,      example.org",
    })
    void decide(String sni, String connectHost, String expected, String detail) {
        Verdict verdict = POLICY.decide(sni, connectHost);
        switch (expected) {
            case "INTERCEPT" -> {
                String[] sniAndRoute = detail.split("\\|");
                assertThat(verdict).isEqualTo(new Verdict.Intercept(sniAndRoute[0], sniAndRoute[1]));
            }
            case "PASS" -> assertThat(verdict).isEqualTo(new Verdict.PassThrough(detail));
            case "REFUSE" -> {
                assertThat(verdict).isInstanceOf(Verdict.Refuse.class);
                assertThat(((Verdict.Refuse) verdict).reason()).contains(detail);
            }
            default -> throw new IllegalArgumentException(expected);
        }
    }

    @Test
    void outsideRefusalNamesTheHostAndSaysItIsOutsideTheLab() {
        Verdict v = POLICY.decide("www.example.net", null);
        assertThat(v).isInstanceOf(Verdict.Refuse.class);
        assertThat(((Verdict.Refuse) v).reason()).contains("www.example.net").contains("outside the lab");
    }

    @Test
    void garbageConnectHostIsRefusedEvenWithATargetedSni() {
        Verdict v = POLICY.decide("vk.com", "not a host!");
        assertThat(v).isInstanceOf(Verdict.Refuse.class);
        assertThat(((Verdict.Refuse) v).reason()).contains("not a host name");
    }

    /** Columns: host, port, null when acceptable else a fragment of the refusal. */
    @ParameterizedTest(name = "[{index}] CONNECT {0}:{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "vk.com,         443,   -",
        "VK.COM.,        443,   -",
        "halykbank.kz,   443,   -",
        "www.twitter.com,443,   -",
        "vk.com,         80,    443",
        "vk.com,         8443,  443",
        "halykbank.kz,   0,     443",
        "vk.com,         65535, 443",
        "example.org,    443,   example.org",
        "Example.ORG,    443,   Example.ORG",
        "sub.vk.com,     443,   sub.vk.com",
        "not_a_name,     443,   not_a_name",
        "'',             443,   not a host name",
    })
    void checkConnect(String host, int port, String refusalFragment) {
        Verdict.Refuse refusal = POLICY.checkConnect(host, port);
        if (refusalFragment == null) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).isNotNull();
            assertThat(refusal.reason()).contains(refusalFragment);
        }
    }

    @Test
    void wrongPortRefusalNamesThePortAndPort443() {
        Verdict.Refuse refusal = POLICY.checkConnect("vk.com", 8080);
        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).contains("8080").contains("443");
    }

    @Test
    void outsideConnectRefusalSaysOutsideTheLab() {
        Verdict.Refuse refusal = POLICY.checkConnect("www.example.com", 443);
        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).contains("www.example.com").contains("outside the lab");
    }

    @Test
    void predicatesOnlyEverSeeNormalisedNames() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        InterceptionPolicy recording = new InterceptionPolicy(n -> {
            seen.add(n);
            return CATALOGUE.isTargeted(n);
        }, n -> {
            seen.add(n);
            return CATALOGUE.isInsideLab(n);
        });
        assertThat(recording.decide("VK.Com.", "HalykBank.KZ.")).isEqualTo(new Verdict.Intercept("vk.com", "halykbank.kz"));
        assertThat(recording.checkConnect("Kaspi.KZ.", 443)).isNull();
        assertThat(seen).isNotEmpty().allSatisfy(n -> assertThat(n).isLowerCase().doesNotEndWith("."));
    }
}
