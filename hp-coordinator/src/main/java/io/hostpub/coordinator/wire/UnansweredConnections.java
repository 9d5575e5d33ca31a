package io.hostpub.coordinator.wire;

import io.hostpub.admin.api.transport.HandshakeSlots;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Connections to a cluster endpoint that have not delivered a complete request head yet. Anyone may connect (the
 * signature is in the request), so these are bounded like the handshakes of the link protocol: at most
 * {@link #MAX_PENDING} at once, a newcomer displacing the oldest of the busiest source when full
 * ({@link HandshakeSlots}), and each cut off {@link #DEADLINE_MS} after it opened however it paces its header
 * lines. None of them holds a thread meanwhile: Jetty parses request heads as bytes arrive. A signed caller sends
 * its request the moment it connects, so it is never the one displaced or cut off.
 */
final class UnansweredConnections implements Connection.Listener {

    private static final System.Logger LOG = System.getLogger(UnansweredConnections.class.getName());

    static final int MAX_PENDING = 64;
    static final long DEADLINE_MS = 5_000;

    private final String endpoint;
    private final Scheduler scheduler;
    private final HandshakeSlots slots = new HandshakeSlots(MAX_PENDING);
    private final Map<Connection, HandshakeSlots.Slot> pending = new ConcurrentHashMap<>();

    UnansweredConnections(String endpoint, Scheduler scheduler) {
        this.endpoint = endpoint;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection.getEndPoint() instanceof EndPoint.Wrapper) {
            return; // the HTTP connection inside TLS: its network connection holds the slot, the TLS handshake included
        }
        var remote = connection.getEndPoint().getRemoteSocketAddress();
        HandshakeSlots.Admission admission = slots.admit(connection::close,
                remote instanceof InetSocketAddress a ? a.getAddress() : null, String.valueOf(remote));
        pending.put(connection, admission.slot());
        if (admission.evictedPeer() != null) {
            LOG.log(Level.DEBUG, "{0}: closed {1}, still without a request when all {2} slots were taken",
                    endpoint, admission.evictedPeer(), MAX_PENDING);
        }
        scheduler.schedule(() -> {
            if (pending.containsKey(connection)) {
                LOG.log(Level.DEBUG, "{0}: closed {1}, no complete request within {2} ms", endpoint, remote,
                        DEADLINE_MS);
                connection.close();
            }
        }, DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    /** The connection delivered a request head: it is a caller now, no longer a candidate for eviction. */
    void requestArrived(Connection connection) {
        EndPoint network = connection.getEndPoint();
        while (network instanceof EndPoint.Wrapper inner) {
            network = inner.unwrap();
        }
        release(network.getConnection());
    }

    @Override
    public void onClosed(Connection connection) {
        release(connection);
    }

    private void release(Connection connection) {
        HandshakeSlots.Slot slot = pending.remove(connection);
        if (slot != null) {
            slot.release();
        }
    }

    int pending() {
        return slots.pending();
    }
}
