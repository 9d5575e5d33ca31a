package io.hostpub.admin.web;

import io.hostpub.runtime.security.AdminCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a user name and password against the installation's PBKDF2 hashes: the administrator's, and the read-only
 * viewer's when one is configured (the user name says which account is meant). The hash is slow on purpose
 * (hundreds of milliseconds); HTTP Basic sends the password with every request, so a successful check is
 * remembered for a few minutes under a keyed digest of the pair (never the password itself). Failed checks are
 * throttled per source and user ({@link LoginThrottle}), and at most one hash runs at a time per web application, so
 * anonymous requests with wrong passwords cannot take more than one core however many arrive.
 */
final class CredentialCheck {

    private static final long REMEMBER_SECONDS = 300;
    private static final int MAX_REMEMBERED = 64;

    private final AdminCredentials credentials;
    private final java.util.Optional<AdminCredentials> viewer;
    private final Signer signer;
    private final Clock clock;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Access access, Instant until) {
    }
    private final LoginThrottle throttle;
    private final java.util.concurrent.Semaphore hashing = new java.util.concurrent.Semaphore(1, true);

    /** What a check found. */
    sealed interface Verdict {
        /** The pair matches the account with this access. */
        record Match(Access access) implements Verdict {
        }

        /** Wrong user or password (or a malformed pair). */
        record Mismatch() implements Verdict {
        }

        /** Not checked: too many failures lately from this source, or too many checks at once; try again later. */
        record Wait(java.time.Duration retryAfter, String reason) implements Verdict {
        }
    }

    /** How long a check waits for its turn at the hash before it is answered "try again". */
    static final java.time.Duration HASH_QUEUE_WAIT = java.time.Duration.ofSeconds(5);

    CredentialCheck(AdminCredentials credentials, java.util.Optional<AdminCredentials> viewer, Signer signer,
            Clock clock) {
        this.credentials = credentials;
        this.viewer = viewer;
        this.signer = signer;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
    }

    /** Checks a pair sent from {@code source} (the client's address). */
    Verdict check(String user, String password, String source) {
        if (user == null || password == null || user.length() > 64 || password.length() > 256) {
            return new Verdict.Mismatch();
        }
        String key = signer.sign("credentials", user + "\n" + password);
        Instant now = clock.instant();
        Remembered known = remembered.get(key);
        if (known != null && known.until().isAfter(now)) {
            throttle.succeeded(source, user);
            return new Verdict.Match(known.access());
        }
        var wait = throttle.waitBefore(source, user);
        if (wait.isPresent()) {
            return new Verdict.Wait(wait.get(), "too many failed logins from " + source + " lately");
        }
        boolean matches;
        try {
            if (!hashing.tryAcquire(HASH_QUEUE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return new Verdict.Wait(java.time.Duration.ofSeconds(1), "too many logins being checked at once");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Wait(java.time.Duration.ofSeconds(1), "interrupted");
        }
        try {
            matches = account(user).matches(user, password);
        } finally {
            hashing.release();
        }
        if (!matches) {
            throttle.failed(source, user);
            return new Verdict.Mismatch();
        }
        throttle.succeeded(source, user);
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
        }
        Access access = accessOf(user).orElseThrow();
        remembered.put(key, new Remembered(access, now.plusSeconds(REMEMBER_SECONDS)));
        return new Verdict.Match(access);
    }

    /** The account a user name means: the viewer's by its name, else the administrator's (whose check may fail). */
    private AdminCredentials account(String user) {
        return viewer.filter(v -> v.user().equals(user)).orElse(credentials);
    }

    /** What the account of this name may do now (a login of a user no longer configured is worth nothing). */
    java.util.Optional<Access> accessOf(String user) {
        if (viewer.isPresent() && viewer.get().user().equals(user)) {
            return java.util.Optional.of(Access.VIEWER);
        }
        return credentials.user().equals(user) ? java.util.Optional.of(Access.ADMIN) : java.util.Optional.empty();
    }
}
