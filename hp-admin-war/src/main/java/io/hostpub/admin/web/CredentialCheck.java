package io.hostpub.admin.web;

import io.hostpub.runtime.security.AdminCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a user name and password against the installation's PBKDF2 hash. The hash is slow on purpose
 * (hundreds of milliseconds); HTTP Basic sends the password with every request, so a successful check is
 * remembered for a few minutes under a keyed digest of the pair (never the password itself).
 */
final class CredentialCheck {

    private static final long REMEMBER_SECONDS = 300;
    private static final int MAX_REMEMBERED = 64;

    private final AdminCredentials credentials;
    private final Signer signer;
    private final Clock clock;
    private final Map<String, Instant> remembered = new ConcurrentHashMap<>();

    CredentialCheck(AdminCredentials credentials, Signer signer, Clock clock) {
        this.credentials = credentials;
        this.signer = signer;
        this.clock = clock;
    }

    boolean matches(String user, String password) {
        if (user == null || password == null || user.length() > 64 || password.length() > 256) {
            return false;
        }
        String key = signer.sign("credentials", user + "\n" + password);
        Instant now = clock.instant();
        Instant until = remembered.get(key);
        if (until != null && until.isAfter(now)) {
            return true;
        }
        if (!credentials.matches(user, password)) {
            return false;
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.entrySet().removeIf(e -> !e.getValue().isAfter(now));
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
        }
        remembered.put(key, now.plusSeconds(REMEMBER_SECONDS));
        return true;
    }

    String user() {
        return credentials.user();
    }
}
