package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslClosedEngineException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Received-alert messages of both TLS providers, as they arrive wrapped by Netty. */
class TlsAlertsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // JDK
        "Received fatal alert: unknown_ca                                              | unknown_ca",
        "Received fatal alert: bad_certificate                                         | bad_certificate",
        "Received fatal alert: certificate_unknown                                     | certificate_unknown",
        "Received fatal alert: handshake_failure                                       | handshake_failure",
        // BoringSSL / OpenSSL, as netty-tcnative reports them
        "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA           | unknown_ca",
        "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE      | bad_certificate",
        "error:10000416:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_UNKNOWN  | certificate_unknown",
        "error:10000415:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED  | certificate_expired",
        "error:1000041a:SSL routines:OPENSSL_internal:TLSV1_ALERT_DECRYPT_ERROR        | decrypt_error",
        "General OpenSslEngine problem: error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA | unknown_ca",
    })
    void receivedAlert(String message, String alert) {
        assertThat(TlsAlerts.receivedAlert(new SSLHandshakeException(message))).contains(alert);
        assertThat(TlsAlerts.receivedAlert(new SSLException(message))).contains(alert);
    }

    @Test
    void nestedCausesAreSearched() {
        Throwable jdk = new DecoderException(new SSLHandshakeException("Received fatal alert: unknown_ca"));
        assertThat(TlsAlerts.receivedAlert(jdk)).contains("unknown_ca");

        SSLHandshakeException inner = new SSLHandshakeException(
                "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA");
        Throwable deep = new RuntimeException("relay failed", new DecoderException("decode", new IOException(null, inner)));
        assertThat(TlsAlerts.receivedAlert(deep)).contains("unknown_ca");
    }

    @Test
    void nullMessagesAreSkipped() {
        Throwable t = new DecoderException((String) null,
                new SSLHandshakeException("Received fatal alert: bad_certificate"));
        assertThat(TlsAlerts.receivedAlert(t)).contains("bad_certificate");
        assertThat(TlsAlerts.receivedAlert(new IOException())).isEmpty();
    }

    @Test
    void noAlertGivesEmpty() {
        assertThat(TlsAlerts.receivedAlert(new SSLHandshakeException("PKIX path building failed"))).isEmpty();
        assertThat(TlsAlerts.receivedAlert(new IOException("Connection reset by peer"))).isEmpty();
        assertThat(TlsAlerts.receivedAlert(null)).isEmpty();
    }

    @Test
    void aSelfCausedExceptionDoesNotLoop() {
        Throwable looping = new IOException("nothing here") {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };
        assertThat(TlsAlerts.receivedAlert(looping)).isEmpty();
        assertThat(TlsAlerts.isClosedDuringHandshake(looping)).isFalse();
        assertThat(TlsAlerts.isUntrustedServerCertificate(looping)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "unknown_ca, true", "bad_certificate, true", "certificate_unknown, true", "certificate_expired, true",
        "certificate_revoked, true", "unsupported_certificate, true", "access_denied, true", "decrypt_error, true",
        "handshake_failure, false", "protocol_version, false", "internal_error, false", "closed, false",
    })
    void certificateRejections(String alert, boolean rejection) {
        assertThat(TlsAlerts.isCertificateRejection(alert)).isEqualTo(rejection);
    }

    @Test
    void explanationNamesTheHostAndTheAlert() {
        assertThat(TlsAlerts.explain("unknown_ca", "vk.com")).contains("vk.com").contains("unknown_ca")
                .contains("national root");
        assertThat(TlsAlerts.explain("closed", "mail.ru")).contains("mail.ru").contains("hung up");
    }

    @Test
    void closedDuringHandshake() {
        assertThat(TlsAlerts.isClosedDuringHandshake(new ClosedChannelException())).isTrue();
        assertThat(TlsAlerts.isClosedDuringHandshake(new DecoderException(new SslClosedEngineException("engine closed"))))
                .isTrue();
        assertThat(TlsAlerts.isClosedDuringHandshake(new IOException("Connection reset by peer"))).isTrue();
        assertThat(TlsAlerts.isClosedDuringHandshake(new SSLHandshakeException("Received fatal alert: unknown_ca")))
                .isFalse();
    }

    @Test
    void untrustedServerCertificate() {
        assertThat(TlsAlerts.isUntrustedServerCertificate(new SSLHandshakeException("x")
                .initCause(new CertificateException("bad chain")))).isTrue();
        assertThat(TlsAlerts.isUntrustedServerCertificate(new DecoderException(
                new CertPathValidatorException("validity check failed")))).isTrue();
        assertThat(TlsAlerts.isUntrustedServerCertificate(new SSLHandshakeException(
                "PKIX path building failed: unable to find valid certification path to requested target"))).isTrue();
        assertThat(TlsAlerts.isUntrustedServerCertificate(new SSLHandshakeException(
                "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED"))).isTrue();
        assertThat(TlsAlerts.isUntrustedServerCertificate(new SSLHandshakeException("Received fatal alert: unknown_ca")))
                .isFalse();
    }

    @Test
    void receivedAlertIsLowerCase() {
        Optional<String> a = TlsAlerts.receivedAlert(new SSLException("TLSV1_ALERT_ACCESS_DENIED"));
        assertThat(a).contains("access_denied");
    }
}
