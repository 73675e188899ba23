package org.mitmlab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mitmlab.pki.Fingerprint;

/** The shipped list of interception keys agrees with the real certificates, and chain validation finds the anchor. */
class KnownRootsTest {
    @Test
    void theShippedListHoldsTheRealQaznetRootAndIntermediateByTheirSpki() {
        KnownRoots shipped = KnownRoots.shipped();
        assertThat(shipped.find(Fingerprint.spkiOf(DetectFixtures.realQaznetRoot())))
                .as("SPKI of lab/src/test/resources/kz2019-certs/qaznet-trust-network-root.pem")
                .hasValueSatisfying(r -> assertThat(r.name()).contains("Qaznet Trust Network"));
        assertThat(shipped.find(Fingerprint.spkiOf(DetectFixtures.realKz2019Chain().get(1))))
                .hasValueSatisfying(r -> assertThat(r.name()).contains("Security Certificate"));
        assertThat(shipped.roots()).as("2019 root + intermediate + nine ISCA roots").hasSize(11);
        assertThat(shipped.find(Fingerprint.spkiOf(DetectFixtures.get().web.root().certificate()))).isEmpty();
    }

    @Test
    void theLabRootIsAddedAtRunTime() {
        var national = DetectFixtures.get().national.root().certificate();
        assertThat(KnownRoots.shipped().find(Fingerprint.spkiOf(national))).isEmpty();
        assertThat(KnownRoots.shipped().with(national, "lab", "state dir").find(Fingerprint.spkiOf(national))).isPresent();
    }

    @Test
    void aBadLineNamesTheFileAndLine() {
        String text = "# comment\nnot-a-hash\tname\tsource\n";
        assertThatThrownBy(() -> KnownRoots.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "roots.tsv"))
                .hasMessageContaining("roots.tsv:2");
    }

    @Test
    void validationFindsTheAnchorOrSaysWhyNot() {
        DetectFixtures f = DetectFixtures.get();
        Validation installed = ChainValidation.validate(f.kzForgedTarget, f.installedNational.clientRoots(), Instant.now());
        assertThat(installed.trusted()).isTrue();
        assertThat(installed.anchor()).isEqualTo(f.national.root().certificate());
        Validation refused = ChainValidation.validate(f.kzForgedTarget, f.installedNational.publicRoots(), Instant.now());
        assertThat(refused.trusted()).isFalse();
        assertThat(refused.problem()).contains("C=KZ, CN=Security Certificate");
        Validation genuine = ChainValidation.validate(f.genuineControl, f.installedNational.publicRoots(), Instant.now());
        assertThat(genuine.anchor()).isEqualTo(f.web.root().certificate());
        assertThat(ChainValidation.validate(List.of(), f.installedNational.publicRoots(), Instant.now()).trusted()).isFalse();
    }
}
