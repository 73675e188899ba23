package org.mitmlab.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.mitmlab.pki.ForgeryProfile.ExtensionStep;
import org.mitmlab.pki.ForgeryProfile.Treatment;

/**
 * Mints a forged leaf from a genuine certificate, following a {@link ForgeryProfile}.
 * Pure apart from the key and random numbers it is handed; safe to call from several threads.
 */
public final class LeafForger {
    private final NationalPki nationalPki;
    private final ForgeryProfile profile;
    private final SignatureProvider signatures;
    /** The signing CA's key as the provider holds it, converted once (null for self-signed leaves). */
    private final PrivateKey signingKey;
    /**
     * The signing CA's name and the AKI every leaf it signs carries (null for self-signed leaves): the
     * same for every leaf, so worked out once, not per mint (a SHA-1 over the CA's key and a parse of its name).
     */
    private final X500Name issuerName;
    private final AuthorityKeyIdentifier authorityKeyId;

    /** A forger signing with the fastest provider this machine has ({@link SignatureProvider#fastest()}). */
    public LeafForger(NationalPki nationalPki, ForgeryProfile profile) {
        this(nationalPki, profile, SignatureProvider.fastest());
    }

    public LeafForger(NationalPki nationalPki, ForgeryProfile profile, SignatureProvider signatures) {
        this.nationalPki = Objects.requireNonNull(nationalPki, "nationalPki");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        CertificateAuthority ca = profile.signer() == ForgeryProfile.Signer.SELF ? null : signer();
        this.signingKey = ca == null ? null : signatures.prepared(ca.key());
        this.issuerName = ca == null ? null : X509Support.nameOf(ca.certificate());
        this.authorityKeyId = ca == null ? null : X509Support.keyIdIssuerAndSerial(ca.certificate());
    }

    /** Who computes the forged leaves' signatures. */
    public SignatureProvider signatures() {
        return signatures;
    }

    public ForgeryProfile profile() {
        return profile;
    }

    /** The CA that signs, and the chain sent after the leaf; a self-signed leaf is its own (key, name). */
    private CertificateAuthority signer() {
        return profile.signer() == ForgeryProfile.Signer.ROOT ? nationalPki.root() : nationalPki.intermediate();
    }

    public ForgedLeaf forge(String sni, X509Certificate genuine, KeyPair key, SecureRandom random) {
        boolean self = profile.signer() == ForgeryProfile.Signer.SELF;
        X500Name subject = subjectFor(genuine);
        CertificateAuthority signer = self ? null : signer();
        Instant notBefore = genuine.getNotBefore().toInstant().plus(profile.validityShift());
        Instant notAfter = genuine.getNotAfter().toInstant().plus(profile.validityShift());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                self ? subject : issuerName,
                serialFor(genuine.getSerialNumber(), random), X509Support.date(notBefore), X509Support.date(notAfter),
                subject, key.getPublic());
        for (ExtensionStep step : profile.extensions()) {
            addExtension(b, step, genuine, key.getPublic(), authorityKeyId);
        }
        String what = "forged certificate for " + sni;
        X509Certificate leaf = self
                ? X509Support.sign(b, key.getPrivate(), KeyType.signatureAlgorithmFor(key.getPrivate()), signatures, what)
                : X509Support.sign(b, signingKey, signer.signatureAlgorithm(), signatures, what);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        if (profile.signer() == ForgeryProfile.Signer.INTERMEDIATE) {
            chain.add(signer.certificate());
        }
        return ForgedLeaf.of(sni, genuine, chain, key.getPrivate());
    }

    private X500Name subjectFor(X509Certificate genuine) {
        X500Name subject = X509Support.nameOf(genuine);
        if (profile.subject() == ForgeryProfile.SubjectRule.COPY) {
            return subject;
        }
        RDN[] cn = subject.getRDNs(BCStyle.CN);
        return cn.length == 0 ? new X500Name(new RDN[0]) : new X500Name(new RDN[] {cn[cn.length - 1]});
    }

    private BigInteger serialFor(BigInteger genuine, SecureRandom random) {
        if (profile.serial() == ForgeryProfile.SerialRule.RANDOM) {
            return X509Support.randomSerial(random, 16);
        }
        // 2019 sample: the forged serial was the genuine one plus a value below 2^32, same length.
        int length = genuine.toByteArray().length;
        for (int attempt = 0; attempt < 64; attempt++) {
            long step = random.nextLong() & 0xFFFF_FFFFL; // any value below 2^32, odd or even (2019: 0xADB3AE52)
            if (step == 0) {
                continue;
            }
            BigInteger delta = BigInteger.valueOf(step);
            BigInteger up = genuine.add(delta);
            if (up.toByteArray().length == length) {
                return up;
            }
            BigInteger down = genuine.subtract(delta);
            if (down.signum() > 0 && down.toByteArray().length == length) {
                return down;
            }
        }
        return X509Support.randomSerial(random, Math.max(length, 8));
    }

    private static void addExtension(JcaX509v3CertificateBuilder b, ExtensionStep step, X509Certificate genuine,
            PublicKey newKey, AuthorityKeyIdentifier signerKeyId) { // null: self-signed
        var oid = step.kind().oid();
        if (step.treatment() == Treatment.REGENERATE) {
            if (step.kind() == ForgeryProfile.ExtensionKind.SUBJECT_KEY_IDENTIFIER) {
                X509Support.add(b, Extension.subjectKeyIdentifier, false, X509Support.subjectKeyId(newKey));
            } else if (signerKeyId == null) {
                // self-signed: the authority is the leaf's own key; its name and serial are not known yet
                X509Support.add(b, Extension.authorityKeyIdentifier, false,
                        new AuthorityKeyIdentifier(X509Support.subjectKeyId(newKey).getKeyIdentifier()));
            } else {
                X509Support.add(b, Extension.authorityKeyIdentifier, false, signerKeyId);
            }
            return;
        }
        byte[] wrapped = genuine.getExtensionValue(oid.getId());
        if (wrapped == null) {
            return; // the genuine certificate has none: nothing to copy
        }
        boolean critical = step.treatment() == Treatment.COPY
                && genuine.getCriticalExtensionOIDs() != null
                && genuine.getCriticalExtensionOIDs().contains(oid.getId());
        // the value's bytes as they are, so a copied SAN or subject is byte-identical to the genuine one
        X509Support.addEncoded(b, oid, critical, ASN1OctetString.getInstance(wrapped).getOctets());
    }
}
