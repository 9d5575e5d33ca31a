package io.hostpub.coordinator.api;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nonces of the signed requests a peer has accepted, each remembered for as long as its signature stays within
 * the allowed skew ({@link RequestSigner#MAX_SKEW}): a captured request sent again is refused, and once its nonce is
 * forgotten its timestamp is too old anyway. Only requests with a valid signature get here, so only holders of the
 * secret can fill it; it is bounded all the same.
 */
public final class ReplayGuard {

    /** Far above what a peer sees in two minutes (a poll per child per interval). */
    static final int MAX_REMEMBERED = 200_000;

    private final Clock clock;
    private final Map<String, Long> forgetAt = new ConcurrentHashMap<>();

    public ReplayGuard(Clock clock) {
        this.clock = clock;
    }

    /** True the first time a nonce is shown, false for every later use within the window. */
    public boolean firstUse(RequestSigner.Signed signed) {
        long now = clock.millis();
        if (forgetAt.size() >= MAX_REMEMBERED) {
            forgetAt.values().removeIf(until -> until < now);
        }
        if (forgetAt.size() >= MAX_REMEMBERED) {
            return false; // full of live nonces: refuse rather than forget one that could be replayed
        }
        long until = signed.atMillis() + 2 * RequestSigner.MAX_SKEW.toMillis();
        boolean first = forgetAt.putIfAbsent(signed.nonce(), until) == null;
        if (forgetAt.size() % 1024 == 0) {
            forgetAt.values().removeIf(t -> t < now);
        }
        return first;
    }

    int remembered() {
        return forgetAt.size();
    }
}
