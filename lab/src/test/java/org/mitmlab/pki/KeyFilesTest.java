package org.mitmlab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.mitmlab.pki.PkiTestSupport.OWNER_ONLY;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Private keys on disk: owner-only from the first byte, PKCS#8 PEM, round-trip exact, never logged. */
class KeyFilesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static KeyPair rsa;

    @TempDir
    Path dir;

    private ListAppender<ILoggingEvent> logs;
    private Logger rootLogger;

    @BeforeAll
    static void keys() {
        rsa = KeyType.RSA_2048.generate(RANDOM);
    }

    @BeforeEach
    void captureLogs() {
        rootLogger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.start();
        rootLogger.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        rootLogger.detachAppender(logs);
        logs.stop();
    }

    @Test
    void keyFileIsCreatedOwnerOnly() throws Exception {
        assumeThat(PkiTestSupport.posixFileSystem()).as("POSIX file system").isTrue();
        Path file = dir.resolve("sub/dir/site.key");
        KeyFiles.writePrivateKey(file, rsa.getPrivate());
        assertThat(Files.getPosixFilePermissions(file)).as("mode of a new key file").isEqualTo(OWNER_ONLY);
        assertThat(file.resolveSibling("site.key.tmp")).as("temporary file removed").doesNotExist();
    }

    @Test
    void replacingAWorldReadableKeyFileLeavesItOwnerOnly() throws Exception {
        assumeThat(PkiTestSupport.posixFileSystem()).as("POSIX file system").isTrue();
        Path file = dir.resolve("site.key");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("site.key.tmp"), "stale temp from a crashed run");

        KeyFiles.writePrivateKey(file, rsa.getPrivate());
        assertThat(Files.getPosixFilePermissions(file)).as("mode after replacing a 0644 file").isEqualTo(OWNER_ONLY);
        assertThat(KeyFiles.readPrivateKey(file).getEncoded()).as("replaced content").isEqualTo(rsa.getPrivate().getEncoded());
        assertThat(dir.resolve("site.key.tmp")).as("stale temporary file cleaned up").doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = KeyType.class, names = {"RSA_2048", "EC_P256", "EC_P384"})
    void keyRoundTripsExactly(KeyType type) throws Exception {
        KeyPair pair = type == KeyType.RSA_2048 ? rsa : type.generate(RANDOM);
        Path file = dir.resolve(type + ".key");
        KeyFiles.writePrivateKey(file, pair.getPrivate());
        assertThat(Files.readString(file, StandardCharsets.US_ASCII)).as("%s file is unencrypted PKCS#8 PEM", type)
                .startsWith("-----BEGIN " + "PRIVATE KEY-----\n").endsWith("-----END " + "PRIVATE KEY-----\n");
        PrivateKey read = KeyFiles.readPrivateKey(file);
        assertThat(read.getAlgorithm()).as("%s algorithm after reading", type).isEqualTo(pair.getPrivate().getAlgorithm());
        assertThat(read.getEncoded()).as("%s PKCS#8 encoding after reading", type).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(KeyType.signatureAlgorithmFor(read)).as("%s signature algorithm a CA with it uses", type)
                .isEqualTo(type.signatureAlgorithm());
    }

    @Test
    void rsaKeyWithExponentThreeRoundTrips() {
        KeyPair e3 = KeyType.RSA_2048.generate(RANDOM, BigInteger.valueOf(3));
        Path file = dir.resolve("forged.key");
        KeyFiles.writePrivateKey(file, e3.getPrivate());
        RSAPrivateCrtKey read = (RSAPrivateCrtKey) KeyFiles.readPrivateKey(file);
        assertThat(read.getPublicExponent()).as("public exponent stored in the key").isEqualTo(BigInteger.valueOf(3));
        assertThat(read.getEncoded()).as("encoding").isEqualTo(e3.getPrivate().getEncoded());
    }

    @Test
    void traditionalOpenSslRsaKeyFileIsReadToo() throws Exception {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(rsa.getPrivate()); // the PKCS#1 "RSA" PEM form, as older openssl writes
        }
        assertThat(pem.toString()).as("written as PKCS#1").startsWith("-----BEGIN RSA " + "PRIVATE KEY-----");
        Path file = dir.resolve("pkcs1.key");
        Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
        assertThat(KeyFiles.readPrivateKey(file).getEncoded()).as("PKCS#1 key read back")
                .isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void fileWithoutAKeyIsRejectedWithoutEchoingItsContent() throws Exception {
        Path file = dir.resolve("not-a-key.pem");
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(
                PkiTestSupport.realCertificate(PkiTestSupport.REAL_ROOT).getEncoded()) + "\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file)).as("reading a certificate as a key")
                .isInstanceOf(PkiException.class).hasMessageContaining("holds no private key")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(dir.resolve("missing.key"))).as("reading a missing key file")
                .isInstanceOf(PkiException.class).hasMessageContaining("missing.key");
    }

    @Test
    void noPrivateKeyMaterialReachesTheLogsOrExceptionMessages() throws Exception {
        List<String> seen = new ArrayList<>();
        Path file = dir.resolve("k.key");
        KeyFiles.writePrivateKey(file, rsa.getPrivate());
        KeyFiles.readPrivateKey(file);
        String pemText = Files.readString(file);
        // corrupted key files: the errors must name the file, not print the key text
        for (String corrupted : List.of(pemText.replace("\n-----END", "!!\n-----END"),
                pemText.substring(0, pemText.length() / 2) + "\n-----END PRIVATE KEY-----\n")) {
            Files.writeString(file, corrupted);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> KeyFiles.readPrivateKey(file));
            assertThat(thrown).as("reading a corrupted key file").isInstanceOf(PkiException.class)
                    .hasMessageContaining(file.toString());
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                seen.add(String.valueOf(t));
            }
        }
        CertificateAuthority ca = new CertificateAuthority(PkiTestSupport.realCertificate(PkiTestSupport.REAL_ROOT),
                rsa.getPrivate());
        seen.add(ca.toString());
        for (ILoggingEvent event : logs.list) {
            seen.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                seen.add(t.getMessage());
            }
        }

        List<String> base64Lines = Stream.of(pemText.split("\n")).filter(l -> !l.startsWith("-----")).toList();
        assertThat(base64Lines).as("PEM body lines").hasSizeGreaterThan(10);
        String privateExponent = ((RSAPrivateCrtKey) rsa.getPrivate()).getPrivateExponent().toString();
        String privateExponentHex = ((RSAPrivateCrtKey) rsa.getPrivate()).getPrivateExponent().toString(16);
        assertThat(seen).as("log lines, exception messages and toString output").isNotEmpty()
                .noneMatch(s -> s != null && (s.contains("-----BEGIN") || base64Lines.stream().anyMatch(s::contains)
                        || s.contains(privateExponent) || s.toLowerCase(java.util.Locale.ROOT).contains(privateExponentHex)));
    }
}
