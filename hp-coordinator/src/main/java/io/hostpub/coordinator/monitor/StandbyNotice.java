package io.hostpub.coordinator.monitor;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.util.Optional;

/**
 * What the active monitor of a position writes to the store about its warm standby (key {@code standby}, under its
 * fence): whether a standby process is linked to its death-watch socket now, and on which node with which pid. A child
 * that sees its parent die reads it: while a standby is linked, the child gives it a head start before it launches a
 * new coordinator, so the standby's takeover is not raced by a cold JVM.
 *
 * @param node the standby's node (null when none is linked)
 * @param pid  the standby's process id on that node (0 when none is linked)
 */
public record StandbyNotice(boolean linked, String node, long pid) {

    static final String KEY = "standby";
    /** How a standby names itself on the active monitor's death-watch socket: {@code standby@<node>:<pid>}. */
    static final String LINK_PREFIX = "standby@";
    static final StandbyNotice NONE = new StandbyNotice(false, null, 0);
    static final long MIN_HEAD_START_MS = 1_000;

    /** The notice last written for {@code position}, if its monitor ever kept a standby. */
    public static Optional<StandbyNotice> read(CoordinatorStore store, String position) throws StoreException {
        return store.get(Monitor.scope(position), KEY).map(bytes -> Json.read(bytes, StandbyNotice.class));
    }

    /**
     * The head start children give a linked warm standby of {@code position} before they launch a new monitor: the
     * standby takes the position's fence within milliseconds of the death, which they see and stand down; a JVM
     * launched beside it would only supersede it. The notice is the active monitor's word from its last cycle, so a
     * standby that died with it (on the same machine) costs the children this head start once. At least
     * {@link #MIN_HEAD_START_MS}, far more than a standby needs, and less than the JVM start it spares.
     */
    static long headStartMillis(CoordinatorStore store, String position, java.time.Duration headStart) {
        try {
            return read(store, position).filter(StandbyNotice::linked).isPresent()
                    ? Math.max(MIN_HEAD_START_MS, headStart.toMillis()) : 0;
        } catch (StoreException | RuntimeException e) {
            return 0; // the launch path reads the store again and reports what is wrong
        }
    }

    /** The name a standby on {@code node} with {@code pid} greets the active monitor's death-watch socket with. */
    static String linkName(String node, long pid) {
        return LINK_PREFIX + node + ":" + pid;
    }

    /** The linked standby a death-watch link name stands for, if it is a standby's. */
    static Optional<StandbyNotice> ofLinkName(String name) {
        int colon = name.lastIndexOf(':');
        if (!name.startsWith(LINK_PREFIX) || colon <= LINK_PREFIX.length()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StandbyNotice(true, name.substring(LINK_PREFIX.length(), colon),
                    Long.parseLong(name.substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
