package org.mitmlab.scenario;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One student's key: {@code HMAC-SHA256(instructor secret, student id)}. Every per-student choice
 * (which names are targeted, where the box sits, the victim's password) is drawn from a random
 * generator seeded by {@code HMAC(key, purpose)}, so the same secret and student always give the
 * same variant and students cannot derive each other's from their own.
 *
 * @param student the student id as given, trimmed and lower-cased (ids are e-mail addresses)
 * @param key     the 32-byte HMAC output
 */
public record StudentKey(String student, byte[] key) {
    /** Shortest secret accepted: a guessable secret would let students compute each other's answers. */
    public static final int MIN_SECRET_BYTES = 16;

    public StudentKey {
        student = normaliseId(student);
        key = key.clone();
        if (key.length != 32) {
            throw new IllegalArgumentException("a student key is 32 bytes, got " + key.length);
        }
    }

    /** Derives alice's key from the instructor's secret. */
    public static StudentKey derive(byte[] secret, String studentId) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new ScenarioException("the instructor secret is only " + secret.length + " bytes; use at least "
                    + MIN_SECRET_BYTES + " random bytes (e.g. 'head -c 32 /dev/urandom | base64 > secret.txt')");
        }
        String id = normaliseId(studentId);
        return new StudentKey(id, hmac(secret, id));
    }

    /** Reads the secret file: its bytes without surrounding whitespace (so an editor's newline does not matter). */
    public static byte[] readSecret(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
            if (text.isEmpty()) {
                throw new ScenarioException(file + ": the secret file is empty; put at least " + MIN_SECRET_BYTES
                        + " random characters in it (e.g. 'head -c 32 /dev/urandom | base64 > " + file.getFileName() + "')");
            }
            return text.getBytes(StandardCharsets.ISO_8859_1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ScenarioException(file + ": no such secret file; create it with 'head -c 32 /dev/urandom | base64 > " + file + "'");
        } catch (java.io.IOException e) {
            throw new ScenarioException(file + ": cannot read the secret file (" + e.getMessage() + ")");
        }
    }

    /** A student id as the lab writes it (trimmed, lower-case); a ScenarioException when it is not usable. */
    public static String normaliseId(String id) {
        Objects.requireNonNull(id, "student id");
        String s = id.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.length() > 200 || !s.matches("[a-z0-9._@+-]+")) {
            throw new ScenarioException("'" + id + "' is not a usable student id: use letters, digits and . _ @ + - "
                    + "(an e-mail address or a matriculation number)");
        }
        return s;
    }

    /** A generator for one purpose ("targets", "box", "victim"); independent across purposes. */
    public SplittableRandom random(String purpose) {
        byte[] h = hmac(key, "variant:" + purpose);
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (h[i] & 0xff);
        }
        return new SplittableRandom(seed);
    }

    /**
     * The token written into a student's answer file: proves the file was made for this student and
     * exercise by a lab holding this key. 16 hex digits.
     */
    public String answerToken(String exercise) {
        return HexFormat.of().formatHex(hmac(key, "answers:" + exercise), 0, 8);
    }

    /** Compares tokens in constant time. */
    public boolean tokenMatches(String exercise, String token) {
        return token != null && MessageDigest.isEqual(answerToken(exercise).getBytes(StandardCharsets.US_ASCII),
                token.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudentKey k && k.student.equals(student) && MessageDigest.isEqual(k.key, key);
    }

    @Override
    public int hashCode() {
        return student.hashCode();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "StudentKey[" + student + "]";
    }
}
