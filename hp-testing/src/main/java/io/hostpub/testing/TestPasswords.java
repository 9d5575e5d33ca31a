package io.hostpub.testing;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The {@code adminPasswordHash} of a test installation: the product's PBKDF2-HMAC-SHA256 text form
 * ({@code pbkdf2-sha256$<iterations>$<salt>$<hash>}) at the lowest iteration count the product accepts. The
 * production default (600,000) costs close to a second of CPU per check on the 2-core build machine, and the web tests
 * check dozens of wrong passwords on purpose; what they test is the refusal and the throttle, not the hash's cost.
 * Tests of the default itself (the demo, the benchmarks) configure {@code adminPassword} as operators do.
 */
public final class TestPasswords {

    /** PasswordHash's lower bound. */
    public static final int ITERATIONS = 10_000;

    private TestPasswords() {
    }

    /** The {@code adminPasswordHash} value for {@code password}, with a fresh salt. */
    public static String hashOf(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder();
            return "pbkdf2-sha256$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** A {@code hostpub.xml} element giving {@code password}'s hash. */
    public static String configElement(String password) {
        return "<adminPasswordHash>" + hashOf(password) + "</adminPasswordHash>";
    }
}
