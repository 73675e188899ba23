package org.mitmlab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How printed handouts and readings link: to files beside them, or to the repository by name. */
class ReadingsTest {
    @Test
    void aHandoutsLinkToAReadingLosesItsParentFolder() {
        assertThat(Readings.forPrinting("the root ([kazakhstan-2019.md](../kazakhstan-2019.md), §1)."))
                .isEqualTo("the root ([kazakhstan-2019.md](kazakhstan-2019.md), §1).");
    }

    @Test
    void aReadingsLinkToAnotherKeepsItsAnchor() {
        assertThat(Readings.forPrinting("see [docker-lab.md](docker-lab.md#detect-it-from-the-client)"))
                .isEqualTo("see [docker-lab.md](docker-lab.md#detect-it-from-the-client)");
    }

    @Test
    void aLinkToADocumentTheJarDoesNotCarryNamesItInTheRepository() {
        assertThat(Readings.forPrinting("format in [scenarios.md](scenarios.md)) is read"))
                .isEqualTo("format in scenarios.md (docs/scenarios.md in the mitmlab repository)) is read");
        assertThat(Readings.forPrinting("the [guide](../exercises/instructor-guide.md)"))
                .as("a path, not a name: left as it is").isEqualTo("the [guide](../exercises/instructor-guide.md)");
    }

    @Test
    void webLinksAndAnchorsAreUntouched() {
        String text = "[crt.sh](https://crt.sh/?q=kz) and [below](#sources) and [RFC](http://example.invalid/a.md)";
        assertThat(Readings.forPrinting(text)).isEqualTo(text);
    }

    @Test
    void everyReadingIsInTheJar() {
        for (String id : Readings.ids()) {
            assertThat(Readings.text(id)).as(id).hasValueSatisfying(t -> assertThat(t).startsWith("# "));
        }
        assertThat(Readings.text("performance")).as("not a reading").isEmpty();
    }
}
