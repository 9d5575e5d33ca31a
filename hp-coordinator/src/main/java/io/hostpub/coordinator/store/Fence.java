package io.hostpub.coordinator.store;

import java.util.Objects;

/**
 * A writer's right to write one scope of the store: the epoch the store granted it. Every grant for a scope has a
 * higher epoch than all grants before it, so a writer that was superseded (paused, partitioned, a duplicate) carries
 * an older epoch and every write it attempts is rejected with {@link StaleEpochException}.
 *
 * @param scope  what the writer owns, e.g. {@code monitor/local/default} or {@code agent/node-2}
 * @param epoch  1, 2, ... per scope
 * @param holder who holds it ({@code coordinator@127.0.0.2/4711}), for operators
 */
public record Fence(String scope, long epoch, String holder) {

    public Fence {
        StoreKeys.checkScope(scope);
        Objects.requireNonNull(holder, "holder");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
    }

    /** Whether this fence is newer than {@code other} of the same scope. */
    public boolean supersedes(Fence other) {
        return scope.equals(other.scope) && epoch > other.epoch;
    }
}
