package io.hostpub.admin.api.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one listener that have not finished their handshake yet, at most {@code capacity} of them.
 * Each holds a thread and a socket, so they are bounded; but a listener that simply refused newcomers once full
 * would let one slow source lock everybody out (64 trickling connections once kept a machine's own members and
 * admins from the supervisor port for a minute). So a newcomer is always admitted, and when the slots are full the
 * oldest pending connection of the source address holding the most slots is closed to make room:
 * <ul>
 *   <li>a flood from one address displaces its own connections first, never those of another address that holds
 *       fewer;</li>
 *   <li>on one machine every peer shares the loopback address, and the oldest goes. A real member's handshake takes
 *       a millisecond or two, so it is displaced only by {@code capacity} newer connections arriving within that
 *       time, while a slow peer is displaced by any newcomer.</li>
 * </ul>
 * Together with a total deadline per handshake ({@link DeadlineInputStream}) no connection holds a slot for long.
 */
public final class HandshakeSlots {

    private final int capacity;
    private final Map<Slot, Boolean> pending = new java.util.LinkedHashMap<>();
    private final AtomicLong evictions = new AtomicLong();

    public HandshakeSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** One admitted connection; {@link #release()} when its handshake ended, however. */
    public final class Slot {
        private final AutoCloseable connection;
        private final InetAddress source;
        private final String peer;

        private Slot(AutoCloseable connection, InetAddress source, String peer) {
            this.connection = connection;
            this.source = source;
            this.peer = peer;
        }

        /** Gives the slot back (idempotent). */
        public void release() {
            synchronized (HandshakeSlots.this) {
                pending.remove(this);
            }
        }
    }

    /**
     * Admits a freshly accepted connection, closing another pending one if every slot is taken.
     *
     * @return the evicted connection's peer, if one was closed to make room (for the caller's log)
     */
    public Admission admit(Socket socket) {
        return admit(socket, socket.getRemoteSocketAddress() instanceof InetSocketAddress a ? a.getAddress() : null,
                String.valueOf(socket.getRemoteSocketAddress()));
    }

    /**
     * Admits any connection that {@link AutoCloseable#close() closes} like a socket (e.g. an HTTP server's).
     *
     * @param source the peer's address, by which the busiest source is found (null if unknown)
     * @param peer how the log names the peer
     */
    public Admission admit(AutoCloseable connection, InetAddress source, String peer) {
        Slot slot = new Slot(connection, source, peer);
        Slot evicted = null;
        synchronized (this) {
            if (pending.size() >= capacity) {
                evicted = victim();
                pending.remove(evicted);
            }
            pending.put(slot, Boolean.TRUE);
        }
        if (evicted == null) {
            return new Admission(slot, null);
        }
        evictions.incrementAndGet();
        try {
            evicted.connection.close(); // its reader fails at once and releases nothing more
        } catch (Exception ignored) {
            // closed anyway
        }
        return new Admission(slot, evicted.peer);
    }

    /** What {@link #admit} did: the newcomer's slot, and whom it displaced (null if nobody). */
    public record Admission(Slot slot, String evictedPeer) {
    }

    /** Called with the lock held and the slots full: the oldest connection of the most demanding source. */
    private Slot victim() {
        Map<InetAddress, Integer> perSource = new HashMap<>();
        for (Slot s : pending.keySet()) {
            perSource.merge(s.source, 1, Integer::sum);
        }
        int most = perSource.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<Slot> inOrder = new ArrayList<>(pending.keySet());
        for (Slot s : inOrder) {
            if (perSource.get(s.source) == most) {
                return s; // insertion order: the first one met is the oldest
            }
        }
        return inOrder.get(0);
    }

    public synchronized int pending() {
        return pending.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Connections closed to make room since this listener started. */
    public long evictions() {
        return evictions.get();
    }
}
