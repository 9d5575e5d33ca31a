package io.hostpub.coordinator.store;

import java.util.Map;
import java.util.Optional;

/**
 * Durable, fenced state of the monitoring hierarchy: monitor checkpoints (desired jobs, placements, statistics), agent
 * job records and the notices monitors leave for each other. State is grouped in scopes; each scope has one writer at a
 * time, the holder of its latest {@link Fence}.
 *
 * <p>Contract (the same contract tests run against every implementation):
 * <ul>
 *   <li>{@link #acquire} grants an epoch higher than every epoch granted before for the scope, across processes and,
 *       for a distributed store, across machines;</li>
 *   <li>{@link #put}/{@link #delete} succeed only while the fence's epoch is the scope's latest, atomically with that
 *       check, and are durable when they return; otherwise they throw {@link StaleEpochException} and change
 *       nothing;</li>
 *   <li>reads need no fence and see every write that returned before they started.</li>
 * </ul>
 */
public interface CoordinatorStore extends AutoCloseable {

    /** A new fence for {@code scope}, superseding every earlier one. */
    Fence acquire(String scope, String holder) throws StoreException;

    /** The scope's latest fence, if any was granted. */
    Optional<Fence> current(String scope) throws StoreException;

    /**
     * Confirms that {@code fence} is still its scope's latest, as the store says now: a coordinator acts (restarts,
     * places) only on a confirmed fence. A distributed store answers only from a quorum, so one cut off from it fails
     * here instead of acting on a fence a majority may have superseded meanwhile.
     *
     * @throws StaleEpochException if a newer fence was granted
     * @throws StoreException      if the store cannot tell (unreachable, no quorum)
     */
    default void confirm(Fence fence) throws StoreException {
        long latest = current(fence.scope()).map(Fence::epoch).orElse(0L);
        if (latest != fence.epoch()) {
            throw new StaleEpochException(fence, latest);
        }
    }

    /** Writes {@code value} under {@code key} in the fence's scope. */
    void put(Fence fence, String key, byte[] value) throws StoreException;

    /** Removes {@code key} from the fence's scope (nothing if absent). */
    void delete(Fence fence, String key) throws StoreException;

    Optional<byte[]> get(String scope, String key) throws StoreException;

    /** Every key of the scope with its value, ordered by key. */
    Map<String, byte[]> list(String scope) throws StoreException;

    /** Where the store keeps its data, for operators ({@code journal /var/hostpub/...}, {@code zookeeper zk1:2181}). */
    String describe();

    @Override
    void close();
}
