package org.mitmlab.proxy;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates a failed client-side handshake into the student's terms. Both TLS providers report a
 * received alert in their own words: the JDK says "Received fatal alert: unknown_ca", BoringSSL
 * says "...:TLSV1_ALERT_UNKNOWN_CA". Either way it is the client refusing our certificate.
 */
final class TlsAlerts {
    private static final Pattern JDK = Pattern.compile("Received fatal alert: ([a-z_]+)");
    private static final Pattern OPENSSL = Pattern.compile("(?:SSLV3|TLSV1)_ALERT_([A-Z_]+)");
    /** Alerts a client sends when it does not accept the server's certificate. */
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("unknown_ca", "bad_certificate", "certificate_unknown",
            "certificate_expired", "certificate_revoked", "unsupported_certificate", "access_denied", "decrypt_error");

    private TlsAlerts() {
    }

    /** The alert the peer sent, lower-case as in the RFC, if the failure was a received alert. */
    static Optional<String> receivedAlert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            Matcher jdk = JDK.matcher(m);
            if (jdk.find()) {
                return Optional.of(jdk.group(1));
            }
            Matcher ossl = OPENSSL.matcher(m);
            if (ossl.find()) {
                return Optional.of(ossl.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    static boolean isCertificateRejection(String alert) {
        return CERTIFICATE_ALERTS.contains(alert);
    }

    /** One sentence for the event, naming the host. */
    static String explain(String alert, String sni) {
        if (alert.equals("closed")) {
            return "the client hung up during the handshake after receiving the forged certificate for " + sni
                    + " (clients that do not trust the issuer often close without an alert)";
        }
        return "the client does not trust the national root for " + sni + " (it sent the TLS alert " + alert
                + "): a user who did not install the root";
    }

    /** True when the failure means the peer closed the connection mid-handshake. */
    static boolean isClosedDuringHandshake(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.channels.ClosedChannelException || t instanceof io.netty.handler.ssl.SslClosedEngineException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("closed") || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** True when our TLS client rejected the origin's certificate chain. */
    static boolean isUntrustedServerCertificate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertificateException || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("CERTIFICATE_VERIFY_FAILED") || m.contains("unable to find valid certification path"))) {
                return true;
            }
        }
        return false;
    }
}
