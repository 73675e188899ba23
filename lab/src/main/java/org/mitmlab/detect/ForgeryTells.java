package org.mitmlab.detect;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * (7) Forgery tells: what forgers tend to do and public CAs tend not to. Each is a hint, not proof,
 * so each is its own heuristic detector whose findings are {@link Severity#LOW} and never decide a
 * verdict alone. The 2019 box shows four of them (e = 3, dropped extensions, validity minus six
 * hours, a serial next to the genuine one); a generic interceptor shows others.
 */
final class ForgeryTells {
    /** Serials closer than this to the genuine one count as "next to" it (2019: below 2^32 apart). */
    static final BigInteger NEAR_SERIAL = BigInteger.ONE.shiftLeft(40);

    private ForgeryTells() {
    }

    static List<Detector> all() {
        return List.of(new RsaExponent3(), new MissingExtensions(), new ShortChain(), new ValidityStart(), new SerialNearGenuine());
    }

    /** The shared shape of a tell: heuristic, LOW. */
    private abstract static class Tell implements Detector {
        @Override
        public final boolean heuristic() {
            return true;
        }

        final Outcome fired(Map<String, String> evidence, String meaning) {
            return Outcome.fired(new Finding(name(), Severity.LOW, evidence, meaning, true));
        }
    }

    /** RSA public exponent 3: the 2019 box's keys; almost no site uses it. */
    static final class RsaExponent3 extends Tell {
        static final String NAME = "tell-rsa-exponent-3";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String checks() {
            return "the leaf's RSA public exponent is not 3";
        }

        @Override
        public Outcome inspect(HostObservations host, ReferenceData reference) {
            X509Certificate leaf = host.primary().leaf().orElseThrow();
            Optional<BigInteger> e = CertificateFacts.rsaExponent(leaf);
            if (e.isEmpty() || !e.get().equals(BigInteger.valueOf(3))) {
                return Outcome.silent();
            }
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("publicExponent", "3");
            evidence.put("key", CertificateFacts.keyDescription(leaf));
            evidence.put("leafSha256", CertificateFacts.sha256(leaf).sha256Hex());
            return fired(evidence, "The leaf for " + host.host() + " has an RSA key with public exponent 3, which sites almost never use"
                    + " and the 2019 box always did: a hint of a forged key, not proof.");
        }
    }

    /** No AIA, CRL distribution points or certificate policies where a public CA puts them. */
    static final class MissingExtensions extends Tell {
        static final String NAME = "tell-missing-extensions";
        private static final Map<String, String> WATCHED = Map.of(
                CertificateFacts.AIA, "authorityInfoAccess",
                CertificateFacts.CRL_DISTRIBUTION_POINTS, "cRLDistributionPoints",
                CertificateFacts.CERTIFICATE_POLICIES, "certificatePolicies");
        private static final List<String> ORDER = List.of(CertificateFacts.AIA, CertificateFacts.CRL_DISTRIBUTION_POINTS,
                CertificateFacts.CERTIFICATE_POLICIES);

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String checks() {
            return "the leaf has the AIA, CRL distribution points and policies the genuine one has";
        }

        @Override
        public Outcome inspect(HostObservations host, ReferenceData reference) {
            X509Certificate leaf = host.primary().leaf().orElseThrow();
            Optional<X509Certificate> genuine = Vantages.usable(host).flatMap(TlsObservation::leaf);
            List<String> missing = new ArrayList<>();
            for (String oid : ORDER) {
                boolean expected = genuine.map(g -> CertificateFacts.hasExtension(g, oid)).orElse(!oid.equals(CertificateFacts.CRL_DISTRIBUTION_POINTS));
                if (expected && !CertificateFacts.hasExtension(leaf, oid)) {
                    missing.add(WATCHED.get(oid));
                }
            }
            if (missing.isEmpty()) {
                return Outcome.silent();
            }
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("missing", String.join(", ", missing));
            evidence.put("comparedWith", genuine.isPresent() ? "the vantage point's leaf, which has them"
                    : "what every public CA leaf carries (no vantage leaf to compare with)");
            return fired(evidence, "The leaf for " + host.host() + " lacks " + String.join(", ", missing)
                    + ", which public CAs always include and forgers often drop: a hint, not proof.");
        }
    }

    /** Fewer certificates than the genuine chain: no intermediate, the leaf signed straight by a root. */
    static final class ShortChain extends Tell {
        static final String NAME = "tell-short-chain";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String checks() {
            return "the chain is not shorter than the one the vantage point sees";
        }

        @Override
        public Outcome inspect(HostObservations host, ReferenceData reference) {
            Optional<TlsObservation> vantage = Vantages.usable(host);
            if (vantage.isEmpty()) {
                return Outcome.skipped(Vantages.whyNot(host));
            }
            List<X509Certificate> here = host.primary().chain();
            List<X509Certificate> there = vantage.get().chain();
            if (here.size() >= there.size()) {
                return Outcome.silent();
            }
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("chainLengthHere", String.valueOf(here.size()));
            evidence.put("chainLengthVantage", String.valueOf(there.size()));
            evidence.put("chainHere", subjects(here));
            evidence.put("chainVantage", subjects(there));
            return fired(evidence, "The chain for " + host.host() + " has " + here.size() + " certificate(s) where the vantage point gets "
                    + there.size() + ", as when a box signs leaves straight with its own root: a hint, not proof.");
        }

        private static String subjects(List<X509Certificate> chain) {
            return chain.stream().map(CertificateFacts::subject).collect(Collectors.joining(" <- "));
        }
    }

    /** A validity start that differs from the genuine leaf's (2019: six hours earlier). */
    static final class ValidityStart extends Tell {
        static final String NAME = "tell-validity-start";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String checks() {
            return "the leaf's validity starts when the vantage point's leaf does";
        }

        @Override
        public Outcome inspect(HostObservations host, ReferenceData reference) {
            Optional<TlsObservation> vantage = Vantages.usable(host);
            if (vantage.isEmpty()) {
                return Outcome.skipped(Vantages.whyNot(host));
            }
            X509Certificate here = host.primary().leaf().orElseThrow();
            X509Certificate there = vantage.get().leaf().orElseThrow();
            if (here.getNotBefore().equals(there.getNotBefore())) {
                return Outcome.silent();
            }
            Duration shift = Duration.between(there.getNotBefore().toInstant(), here.getNotBefore().toInstant());
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("notBeforeHere", here.getNotBefore().toInstant().toString());
            evidence.put("notBeforeVantage", there.getNotBefore().toInstant().toString());
            evidence.put("shift", shift.toString());
            return fired(evidence, "The leaf for " + host.host() + " starts " + describe(shift) + " the one the vantage point sees,"
                    + " as a copy made by a box would: a hint, not proof.");
        }

        private static String describe(Duration shift) {
            Duration abs = shift.abs();
            String amount = abs.toHours() > 0 ? abs.toHours() + " h" : abs.toMinutes() > 0 ? abs.toMinutes() + " min" : abs.toSeconds() + " s";
            return amount + (shift.isNegative() ? " before" : " after");
        }
    }

    /** A serial a small step from the genuine serial: the copy kept most of the original's bytes. */
    static final class SerialNearGenuine extends Tell {
        static final String NAME = "tell-serial-near-genuine";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String checks() {
            return "the leaf's serial is not a near-copy (< 2^40 apart) of the vantage point's";
        }

        @Override
        public Outcome inspect(HostObservations host, ReferenceData reference) {
            Optional<TlsObservation> vantage = Vantages.usable(host);
            if (vantage.isEmpty()) {
                return Outcome.skipped(Vantages.whyNot(host));
            }
            BigInteger here = host.primary().leaf().orElseThrow().getSerialNumber();
            BigInteger there = vantage.get().leaf().orElseThrow().getSerialNumber();
            BigInteger difference = here.subtract(there);
            if (difference.signum() == 0 || difference.abs().compareTo(NEAR_SERIAL) >= 0) {
                return Outcome.silent();
            }
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("serialHere", CertificateFacts.serialHex(here));
            evidence.put("serialVantage", CertificateFacts.serialHex(there));
            evidence.put("difference", (difference.signum() < 0 ? "-" : "+") + "0x" + CertificateFacts.serialHex(difference.abs()));
            return fired(evidence, "The leaf for " + host.host() + " has a serial only " + difference.abs().bitLength()
                    + " bits away from the genuine serial, as when a box copies the certificate and changes the last bytes: a hint, not proof.");
        }
    }
}
