package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mitmlab.pki.PkiTestSupport.FIXED_CLOCK;
import static org.mitmlab.pki.PkiTestSupport.FIXED_NOW;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CA as an instructor makes one with openssl for servers behind {@code mitmlab proxy} (and the
 * warm-up's home-made servers): the leaf alone under a root, few extensions, and a forger that
 * copies what such a leaf has.
 */
class InstructorCaTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NAME = "sun2-17.userapi-cdn1.test";

    private static InstructorCa ca;
    private static SiteCredential site;

    @BeforeAll
    static void issueOneServerCertificate() {
        ca = InstructorCa.generate("Course Servers Ltd", KeyType.RSA_2048.generate(RANDOM), FIXED_CLOCK, RANDOM);
        site = ca.issue(NAME, KeyType.RSA_2048.generate(RANDOM), FIXED_CLOCK, RANDOM);
    }

    @Test
    void theServerSendsItsLeafAloneAndItValidatesAgainstTheHomeMadeRootOnly() throws Exception {
        assertThat(site.chain()).as("chain the server sends").containsExactly(site.leaf());
        assertThat(PkiTestSupport.validationFailure(site.chain(), List.of(ca.root()), FIXED_NOW))
                .as("the leaf against the instructor's root").isNull();
        WebPki web = WebPki.generate(FIXED_CLOCK, RANDOM);
        assertThat(PkiTestSupport.validationFailure(site.chain(), web.trustBundle(), FIXED_NOW))
                .as("the leaf against the lab's public roots").isNotNull();
        assertThat(ca.root().getBasicConstraints()).as("the root is a CA").isGreaterThanOrEqualTo(0);
        assertThat(site.leaf().getBasicConstraints()).as("the leaf is not").isEqualTo(-1);
    }

    @Test
    void theLeafHasOnlyWhatAShortOpensslExtensionFileAndOpenssl3Give() throws Exception {
        assertThat(PkiTestSupport.extensionOrderWithCriticality(site.leaf()))
                .containsExactly("BC critical", "KU critical", "EKU", "SAN", "SKI", "AKI");
        assertThat(site.leaf().getSubjectAlternativeNames()).containsExactly(List.of(2, NAME));
        assertThat(site.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(PkiTestSupport.authorityKeyId(site.leaf()).getKeyIdentifier())
                .as("AKI is the root's key id").isEqualTo(PkiTestSupport.subjectKeyId(ca.root()));
    }

    @Test
    void theSubjectIsEncodedAsOpensslReqWritesIt() {
        RDN[] rdns = X500Name.getInstance(PkiTestSupport.subjectDer(site.leaf())).getRDNs();
        assertThat(rdns).hasSize(3);
        assertThat(rdns[0].getFirst().getValue()).as("C").isInstanceOf(DERPrintableString.class);
        assertThat(((ASN1String) rdns[0].getFirst().getValue()).getString()).isEqualTo("US");
        assertThat(rdns[1].getFirst().getValue()).as("O").isInstanceOf(DERUTF8String.class);
        assertThat(((ASN1String) rdns[1].getFirst().getValue()).getString()).isEqualTo("Course Servers Ltd");
        assertThat(rdns[2].getFirst().getValue()).as("CN").isInstanceOf(DERUTF8String.class);
        assertThat(((ASN1String) rdns[2].getFirst().getValue()).getString()).isEqualTo(NAME);
    }

    @Test
    void theForgerCopiesWhatSuchALeafHasAndChainsItToTheNationalRoot() throws Exception {
        NationalPki national = NationalPki.generate(FIXED_CLOCK, RANDOM, NationalPki.DEFAULT_VALIDITY);
        KeyPair key = KeyType.RSA_2048.generate(RANDOM, BigInteger.valueOf(3));
        ForgedLeaf forged = new LeafForger(national, ForgeryProfile.kz2019()).forge(NAME, site.leaf(), key, RANDOM);
        X509Certificate f = forged.certificate();
        assertThat(PkiTestSupport.subjectDer(f)).as("subject, byte for byte").isEqualTo(PkiTestSupport.subjectDer(site.leaf()));
        assertThat(PkiTestSupport.extensionValue(f, Extension.subjectAlternativeName))
                .isEqualTo(PkiTestSupport.extensionValue(site.leaf(), Extension.subjectAlternativeName));
        assertThat(PkiTestSupport.extensionOrderWithCriticality(f)).as("the 2019 order, nothing invented")
                .containsExactly("SKI", "AKI", "BC critical", "KU", "EKU", "SAN");
        assertThat(PkiTestSupport.validationFailure(forged.chain(), List.of(national.root().certificate()), FIXED_NOW))
                .as("forged chain against the national root").isNull();
        assertThat(PkiTestSupport.validationFailure(forged.chain(), List.of(ca.root()), FIXED_NOW))
                .as("forged chain against the instructor's root").isNotNull();
    }
}
