package org.mitmlab.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped catalogue: the 37 names of 2019, the controls, and the lookups every package relies on. */
class DomainCatalogueTest {
    private static final DomainCatalogue CATALOGUE = DomainCatalogue.kz2019();

    @Test
    void targetedIsExactlyTheShippedListOf37() {
        List<String> fromResource = resource("kz2019-domains.txt");
        assertThat(fromResource).hasSize(37).doesNotHaveDuplicates();
        assertThat(CATALOGUE.targeted()).hasSize(37).containsExactlyElementsOf(new TreeSet<>(fromResource));
    }

    @Test
    void targetedIsSortedAndNormalised() {
        assertThat(CATALOGUE.targeted()).isSorted()
                .allSatisfy(n -> assertThat(HostNames.normalize(n)).contains(n));
    }

    @Test
    void theWellKnown2019NamesAreTargeted() {
        assertThat(CATALOGUE.targeted()).contains("facebook.com", "www.facebook.com", "google.com", "www.google.com",
                "mail.google.com", "vk.com", "ok.ru", "mail.ru", "twitter.com", "youtube.com", "www.youtube.com",
                "instagram.com", "www.instagram.com", "messenger.com", "www.messenger.com", "goo.gl");
    }

    @Test
    void atLeastEightControlsAndNoOverlap() {
        assertThat(CATALOGUE.controls()).hasSizeGreaterThanOrEqualTo(8).isSorted().doesNotHaveDuplicates();
        Set<String> overlap = new HashSet<>(CATALOGUE.controls());
        overlap.retainAll(CATALOGUE.targeted());
        assertThat(overlap).isEmpty();
        assertThat(CATALOGUE.controls()).containsAll(resource("control-domains.txt"));
    }

    @Test
    void everySiteIsEitherTargetedOrControlAndRolesAgree() {
        assertThat(CATALOGUE.sites()).hasSize(CATALOGUE.targeted().size() + CATALOGUE.controls().size());
        for (LabSite s : CATALOGUE.sites()) {
            assertThat(CATALOGUE.isTargeted(s.name())).as(s.name()).isEqualTo(s.targeted());
            assertThat(CATALOGUE.isInsideLab(s.name())).isTrue();
            assertThat(s.service()).isNotBlank();
            assertThat(s.operator()).isNotBlank();
        }
    }

    @Test
    void wwwTwitterIsAControlNotATarget() {
        assertThat(CATALOGUE.isTargeted("twitter.com")).isTrue();
        assertThat(CATALOGUE.isTargeted("www.twitter.com")).isFalse();
        assertThat(CATALOGUE.isInsideLab("www.twitter.com")).isTrue();
        assertThat(CATALOGUE.controls()).contains("www.twitter.com", "mobile.twitter.com", "halykbank.kz", "rcku.kz");
        assertThat(CATALOGUE.site("www.twitter.com")).get().extracting(LabSite::role).isEqualTo(SiteRole.CONTROL);
    }

    @ParameterizedTest(name = "{0}: targeted {1}, inside {2}")
    @CsvSource({
        "vk.com,            true,  true",
        "VK.COM,            true,  true",
        "vk.com.,           true,  true",
        "Www.Facebook.Com., true,  true",
        "' vk.com ',        true,  true",
        "sub.vk.com,        false, false",
        "d01.facebook.com,  false, false",
        "halykbank.kz,      false, true",
        "HALYKBANK.KZ.,     false, true",
        "example.com,       false, false",
        "vk.com..,          false, false",
        "'',                false, false",
        "vk_com,            false, false",
    })
    void lookupsNormalise(String name, boolean targeted, boolean inside) {
        assertThat(CATALOGUE.isTargeted(name)).isEqualTo(targeted);
        assertThat(CATALOGUE.isInsideLab(name)).isEqualTo(inside);
        assertThat(CATALOGUE.site(name).isPresent()).isEqualTo(inside);
    }

    @Test
    void nullNamesAreNeitherTargetedNorInside() {
        assertThat(CATALOGUE.isTargeted(null)).isFalse();
        assertThat(CATALOGUE.isInsideLab(null)).isFalse();
    }

    @Test
    void siteIsFoundByAnySpelling() {
        assertThat(CATALOGUE.site("Mail.Google.Com.")).get().extracting(LabSite::name).isEqualTo("mail.google.com");
    }

    @Test
    void withTargetsReplacesTheTargetedSet() {
        DomainCatalogue narrowed = CATALOGUE.withTargets(Set.of("HalykBank.kz.", "vk.com"));
        assertThat(narrowed.targeted()).containsExactly("halykbank.kz", "vk.com");
        assertThat(narrowed.isTargeted("halykbank.kz")).isTrue();
        assertThat(narrowed.isTargeted("google.com")).isFalse();
        assertThat(narrowed.controls()).contains("google.com").doesNotContain("halykbank.kz", "vk.com");
        assertThat(narrowed.sites()).hasSameSizeAs(CATALOGUE.sites());
        assertThat(CATALOGUE.targeted()).as("the original is unchanged").hasSize(37);
    }

    @Test
    void withTargetsRejectsNamesOutsideTheLab() {
        assertThatThrownBy(() -> CATALOGUE.withTargets(Set.of("example.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example.com");
        assertThatThrownBy(() -> CATALOGUE.withTargets(Set.of("not a name")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a name");
    }

    @Test
    void withSitesAddsPrivateSitesTargetedAsTheirRoleSaysAndLeavesTheLabAlone() {
        DomainCatalogue more = CATALOGUE.withSites(List.of(
                new LabSite("Sun2-17.userapi-cdn1.test", SiteRole.TARGETED, "CDN node", "Course Servers Ltd", "RSA_2048", "OV"),
                new LabSite("intranet.course.test", SiteRole.CONTROL, "Intranet", "Course Servers Ltd", "RSA_2048", "DV")));
        assertThat(more.isTargeted("sun2-17.userapi-cdn1.test")).isTrue();
        assertThat(more.isInsideLab("intranet.course.test")).isTrue();
        assertThat(more.isTargeted("intranet.course.test")).isFalse();
        assertThat(more.targeted()).hasSize(38);
        assertThat(more.sites()).hasSize(CATALOGUE.sites().size() + 2);
        assertThat(CATALOGUE.isInsideLab("sun2-17.userapi-cdn1.test")).as("the original is unchanged").isFalse();
        assertThatThrownBy(() -> CATALOGUE.withSites(List.of(
                new LabSite("vk.com", SiteRole.CONTROL, "VK", "VK", "RSA_2048", "DV"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already a lab site: vk.com");
    }

    @Test
    void listsAreImmutable() {
        assertThatThrownBy(() -> CATALOGUE.targeted().add("x.com")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> CATALOGUE.sites().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parseNamesSkipsCommentsAndBlanksAndNormalises() {
        List<String> names = DomainCatalogue.parseNames(stream("# header\n\nVK.com.\n  ok.ru   # trailing comment\r\n\tmail.ru\n"),
                "test.txt");
        assertThat(names).containsExactly("vk.com", "ok.ru", "mail.ru");
    }

    @Test
    void parseNamesReportsFileAndLineOfABadName() {
        assertThatThrownBy(() -> DomainCatalogue.parseNames(stream("vk.com\n# comment\nnot a name\n"), "list.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("list.txt:3")
                .hasMessageContaining("not a name");
    }

    private static List<String> resource(String name) {
        InputStream in = DomainCatalogue.class.getResourceAsStream(name);
        assertThat(in).as(name).isNotNull();
        return DomainCatalogue.parseNames(in, name);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
