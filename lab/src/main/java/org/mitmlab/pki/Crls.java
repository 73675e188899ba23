package org.mitmlab.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Empty CRLs for the lab's public CAs: the AIA/CRL URLs in genuine certificates must answer. */
final class Crls {
    private Crls() {
    }

    static byte[] empty(CertificateAuthority ca, Clock clock) {
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.HOURS);
        X509v2CRLBuilder b = new X509v2CRLBuilder(X509Support.nameOf(ca.certificate()), X509Support.date(thisUpdate));
        b.setNextUpdate(X509Support.date(thisUpdate.plus(Duration.ofDays(7))));
        try {
            b.addExtension(Extension.authorityKeyIdentifier, false, X509Support.keyIdOnly(ca.certificate()));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(thisUpdate.getEpochSecond())));
            return b.build(new JcaContentSignerBuilder(ca.signatureAlgorithm()).build(ca.key())).getEncoded();
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("cannot build the CRL of " + ca, e);
        }
    }
}
