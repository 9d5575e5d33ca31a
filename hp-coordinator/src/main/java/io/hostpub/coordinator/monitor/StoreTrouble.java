package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Instant;

/**
 * A monitor's store failures, told once: a full disk or a store that was down once showed as a stack trace per poll
 * cycle while the cluster view said ACTIVE. The first failed cycle is one ERROR line, later ones are counted, the
 * recovery is one INFO line with the count; meanwhile {@link #problem()} is what the monitor reports to the cluster
 * view. The monitor keeps polling and restarting its children all along. Written by the cycle thread only; the
 * problem is read by the server's threads.
 */
final class StoreTrouble {

    private static final System.Logger LOG = System.getLogger(StoreTrouble.class.getName());

    private final String position;
    private volatile String problem;
    private Instant since;
    private int failedCycles;

    StoreTrouble(String position) {
        this.position = position;
    }

    /** A cycle could not read or write the store (a stale fence is not this: the monitor was superseded). */
    void failed(StoreException e, Instant now) {
        failedCycles++;
        if (since == null) {
            since = now;
            LOG.log(Level.ERROR, "monitor {0}: the store fails: {1}; its checkpoint is retried every cycle and its"
                    + " children are still polled and restarted", position, e.getMessage());
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
