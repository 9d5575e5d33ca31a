package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a coordinator position is held by a live coordinator: the holder of the position's fence answers its
 * status at its endpoint, running, with that fence's epoch. A coordinator started for a position that one holds must
 * not take the fence: started late (a child saw its parent slow to start on a loaded machine and started another,
 * whose JVM came up after the first had settled), it would supersede a healthy coordinator for nothing — which a
 * cluster test saw as a false failover of the group coordinator on a slow network. A dead, stopped or cut-off holder
 * does not answer within the bound, and the new one takes over as before.
 */
public final class LiveHolder {

    /**
     * How long the holder has to answer: a dead process's refused connection answers at once; a cut-off host costs
     * this much of a takeover. Over one second, because one lost SYN costs one (the kernel's first retransmission):
     * at 500 ms, a live holder on a network losing 1 % of its frames went unheard now and then and was superseded.
     */
    public static final Duration ANSWER_WITHIN = Duration.ofMillis(1_500);

    private LiveHolder() {
    }

    /** What holds {@code position} and answers, said for the log; empty when nothing does. */
    public static Optional<String> of(CoordinatorStore store, String position, ClusterWire wire) {
        try {
            Optional<Fence> fence = store.current(Monitor.scope(position));
            Optional<MonitorEndpoint> endpoint = MonitorEndpoint.read(store, position);
            if (fence.isEmpty() || endpoint.isEmpty()) {
                return Optional.empty();
            }
            MonitorReply reply = wire.client(ANSWER_WITHIN).call(endpoint.get().socketAddress(),
                    ClusterRoutes.MONITOR_STATUS, NoBody.INSTANCE, ANSWER_WITHIN);
            boolean running = reply.state() == MonitorState.ACTIVE || reply.state() == MonitorState.PASSIVE;
            if (running && reply.best().epoch() == fence.get().epoch() && reply.pid() == endpoint.get().pid()) {
                return Optional.of("coordinator pid " + reply.pid() + " on node " + endpoint.get().node() + " holds "
                        + position + " (epoch " + fence.get().epoch() + ", " + reply.state() + ")");
            }
            return Optional.empty();
        } catch (IOException | StoreException | RuntimeException e) {
            return Optional.empty(); // no answer, or no store to ask: the new coordinator decides as before
        }
    }
}
