package org.mitmlab.detect;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mitmlab.domains.DomainCatalogue;
import org.mitmlab.pki.ForgeryProfile;
import org.mitmlab.pki.KeyType;
import org.mitmlab.pki.LeafForger;
import org.mitmlab.pki.NationalPki;
import org.mitmlab.pki.PemFiles;
import org.mitmlab.pki.SiteCredential;
import org.mitmlab.pki.WebPki;
import org.mitmlab.testing.GenericForgery;

/**
 * Certificates and observations for the detector table tests, made once per JVM with the lab's own
 * PKI code: a public PKI with genuine certificates for vk.com (targeted in 2019) and halykbank.kz (a
 * control), a national PKI with a kz-2019 forgery of vk.com, and a generic interceptor's forgery.
 */
final class DetectFixtures {
    static final String TARGET = "vk.com";
    static final String CONTROL = "halykbank.kz";
    static final String NEUTRAL = "rcku.kz";
    static final ObservationPath PROXY = ObservationPath.proxy("127.0.0.1:8080");
    static final ObservationPath VANTAGE = ObservationPath.vantage("vantage service http://vantage.lab/vantage");

    final Instant now = Instant.now();
    final WebPki web;
    final NationalPki national;
    final List<X509Certificate> genuineTarget;
    final List<X509Certificate> genuineControl;
    final List<X509Certificate> genuineNeutral;
    final List<X509Certificate> kzForgedTarget;
    final GenericForgery genericTarget;
    final TrustBundles installedNational;
    final TrustBundles installedGeneric;
    final ReferenceData reference;

    private static DetectFixtures instance;

    static synchronized DetectFixtures get() {
        if (instance == null) {
            instance = new DetectFixtures();
        }
        return instance;
    }

    private DetectFixtures() {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        DomainCatalogue catalogue = DomainCatalogue.kz2019();
        web = WebPki.generate(clock, random);
        national = NationalPki.generate(clock, random, Duration.ofDays(30));
        genuineTarget = web.issue(catalogue.site(TARGET).orElseThrow(), clock, random).chain();
        genuineControl = web.issue(catalogue.site(CONTROL).orElseThrow(), clock, random).chain();
        SiteCredential neutral = web.issue(catalogue.site(NEUTRAL).orElseThrow(), clock, random);
        genuineNeutral = neutral.chain();
        kzForgedTarget = new LeafForger(national, ForgeryProfile.kz2019())
                .forge(TARGET, genuineTarget.get(0), KeyType.RSA_2048.generate(random, java.math.BigInteger.valueOf(3)), random).chain();
        genericTarget = GenericForgery.of(genuineTarget.get(0), random);
        installedNational = new TrustBundles(web.trustBundle(), plus(web.trustBundle(), national.root().certificate()));
        installedGeneric = new TrustBundles(web.trustBundle(), plus(web.trustBundle(), genericTarget.ca()));
        reference = new ReferenceData(KnownRoots.shipped().with(national.root().certificate(), "this lab's national root", "test"),
                PinSet.fromGenuineChains(Map.of(TARGET, genuineTarget, CONTROL, genuineControl), web.trustBundle()));
    }

    private static List<X509Certificate> plus(List<X509Certificate> bundle, X509Certificate extra) {
        List<X509Certificate> out = new ArrayList<>(bundle);
        out.add(extra);
        return out;
    }

    TlsObservation seen(String host, ObservationPath path, String sni, List<X509Certificate> chain, TrustBundles trust) {
        return TlsObservation.seen(host, path, sni, chain, trust, now);
    }

    /** What a machine with the national root installed observes through the 2019 box, with vantage, variants and CT. */
    HostObservations kzIntercepted() {
        return full(TARGET, kzForgedTarget, genuineTarget, installedNational, genuineNeutral);
    }

    /** The same, for a generic interceptor that forges every name alike and sends no intermediate. */
    HostObservations genericIntercepted() {
        return full(TARGET, genericTarget.chain(), genuineTarget, installedGeneric, genericTarget.chain());
    }

    /** A control site through the same box: passed through, genuine everywhere. */
    HostObservations controlGenuine() {
        return full(CONTROL, genuineControl, genuineControl, installedNational, genuineNeutral);
    }

    /** The targeted site when nothing is targeted (the baseline): genuine everywhere. */
    HostObservations targetGenuine() {
        return full(TARGET, genuineTarget, genuineTarget, installedNational, genuineNeutral);
    }

    /** Only the path under test, with {@code chain} presented for the target. */
    HostObservations primaryOnly(List<X509Certificate> chain) {
        return HostObservations.of(seen(TARGET, PROXY, TARGET, chain, installedNational));
    }

    /**
     * @param presented    what the path under test presents for {@code host}
     * @param genuine      what the vantage point sees and the CT log holds
     * @param neutralChain what the same address presents for an unrelated SNI and for none
     */
    private HostObservations full(String host, List<X509Certificate> presented, List<X509Certificate> genuine, TrustBundles trust,
            List<X509Certificate> neutralChain) {
        TlsObservation primary = seen(host, PROXY, host, presented, trust);
        List<TlsObservation> variants = List.of(seen(host, PROXY, NEUTRAL, neutralChain, trust), seen(host, PROXY, null, neutralChain, trust));
        TlsObservation vantage = seen(host, VANTAGE, host, genuine, trust);
        CtLookup ct = CtLookup.answered("Lab CT log (ct.webtrust.lab)", host,
                List.of(new CtEntry(CertificateFacts.sha256(genuine.get(0)), CertificateFacts.issuer(genuine.get(0)),
                        genuine.get(0).getNotBefore().toInstant())));
        return new HostObservations(host, primary, variants, Optional.of(vantage), Optional.of(ct));
    }

    static List<X509Certificate> realKz2019Chain() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.addAll(PemFiles.parseCertificates(resource("rcku.kz-forged-leaf.pem")));
        chain.addAll(PemFiles.parseCertificates(resource("security-certificate-intermediate.pem")));
        return chain;
    }

    static X509Certificate realQaznetRoot() {
        return PemFiles.parseCertificates(resource("qaznet-trust-network-root.pem")).get(0);
    }

    private static String resource(String name) {
        try (var in = DetectFixtures.class.getResourceAsStream("/kz2019-certs/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
