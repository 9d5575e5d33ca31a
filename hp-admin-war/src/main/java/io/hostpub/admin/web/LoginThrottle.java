package io.hostpub.admin.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins, per source address and user name, and per source address alone. Each wrong password costs the
 * slow hash (hundreds of milliseconds of CPU) and is a guess; after {@link #FREE_FAILURES} of them for one user from
 * one address (or {@link #FREE_SOURCE_FAILURES} for any users from one address) every further try must wait, twice
 * as long each time up to {@link #MAX_WAIT}, and a try inside the wait is answered 429 with {@code Retry-After}
 * without hashing anything. A success clears the user's count from that address. Another address is not affected,
 * so an attacker cannot lock the admin out from elsewhere.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 20;
    static final int FREE_SOURCE_FAILURES = 100;
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /** A count is forgotten after this long without a failure. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant last) {
        Instant retryAt(int free) {
            if (count < free) {
                return Instant.MIN;
            }
            long seconds = Math.min(MAX_WAIT.toSeconds(), 1L << Math.min(30, count - free));
            return last.plusSeconds(seconds);
        }
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the caller must wait before its next try, if it must wait now. */
    Optional<Duration> waitBefore(String source, String user) {
        Instant now = clock.instant();
        Instant retryAt = later(retryAt(key(source, user), FREE_FAILURES), retryAt(source, FREE_SOURCE_FAILURES));
        return retryAt.isAfter(now) ? Optional.of(Duration.between(now, retryAt)) : Optional.empty();
    }

    void failed(String source, String user) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
        }
        if (failures.size() >= MAX_TRACKED) {
            failures.clear(); // a flood of addresses: start over rather than grow without bound
        }
        for (String key : new String[] {key(source, user), source}) {
            failures.merge(key, new Failures(1, now), (old, one) -> old.last().plus(FORGET_AFTER).isBefore(now)
                    ? one : new Failures(old.count() + 1, now));
        }
    }

    void succeeded(String source, String user) {
        failures.remove(key(source, user));
    }

    private Instant retryAt(String key, int free) {
        Failures f = failures.get(key);
        return f == null || f.last().plus(FORGET_AFTER).isBefore(clock.instant()) ? Instant.MIN : f.retryAt(free);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String key(String source, String user) {
        return source + "\n" + user;
    }
}
