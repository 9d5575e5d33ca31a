package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A monitor's store failures, told once: a full disk or a store that was down once showed as a stack trace per poll
 * cycle while the cluster view said ACTIVE. The first failed cycle is one ERROR line, later ones are counted, the
 * recovery is one INFO line with the count; meanwhile {@link #problem()} is what the monitor reports to the cluster
 * view.
 *
 * <p>Whether the monitor goes on acting depends on what fails. A checkpoint the store refuses (a full disk) while the
 * store still confirms the monitor's fence: it keeps restarting and placing. A store that cannot confirm the fence (no
 * quorum reachable, so a majority may have granted a successor meanwhile): the monitor goes PASSIVE, keeps polling and
 * reporting, restarts and places nothing, and is ACTIVE again after a cycle that confirms its fence. Written by the
 * cycle thread only; the problem is read by the server's threads.
 */
final class StoreTrouble {

    private static final System.Logger LOG = System.getLogger(StoreTrouble.class.getName());

    private final String position;
    private final CoordinatorStore store;
    private volatile String problem;
    private Instant since;
    private int failedCycles;

    StoreTrouble(String position, CoordinatorStore store) {
        this.position = position;
        this.store = store;
    }

    /**
     * A cycle could not read or write the store (a stale fence is not this: the monitor was superseded): records it,
     * and makes the monitor PASSIVE unless the store still confirms {@code fence}.
     *
     * @return why the monitor must commit suicide (the store answered with a newer fence), or empty
     */
    Optional<String> failed(StoreException e, Instant now, Fence fence, AtomicReference<MonitorState> role) {
        record(e, now);
        try {
            store.confirm(fence);
        } catch (StaleEpochException stale) {
            return Optional.of("the store granted a newer fence: " + stale.getMessage());
        } catch (StoreException unconfirmed) {
            if (role.compareAndSet(MonitorState.ACTIVE, MonitorState.PASSIVE)) {
                LOG.log(Level.WARNING, "monitor {0}: PASSIVE, the store cannot confirm its fence (epoch {1}): {2};"
                        + " no restarts or placements until it can", position, fence.epoch(), unconfirmed.getMessage());
            }
        }
        return Optional.empty();
    }

    private void record(StoreException e, Instant now) {
        failedCycles++;
        if (since == null) {
            since = now;
            LOG.log(Level.ERROR, "monitor {0}: the store fails: {1}; its checkpoint is retried every cycle and its"
                    + " children are still polled", position, e.getMessage());
        }
        problem = e.getMessage() + " (since " + since + ", " + failedCycles + " failed cycle(s))";
    }

    /** A cycle went through, checkpoint included. */
    void succeeded() {
        if (since != null) {
            LOG.log(Level.INFO, "monitor {0}: the store works again, checkpoint written after {1} failed cycle(s)",
                    position, failedCycles);
            since = null;
            failedCycles = 0;
            problem = null;
        }
    }

    /** What the store refuses and since when, or null while it works. */
    String problem() {
        return problem;
    }
}
