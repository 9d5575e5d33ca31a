package io.hostpub.coordinator.monitor;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where the monitor of a position listens, written to the store under the position's fence (key {@code endpoint}) so
 * its parent, the agents' relays and the cluster view find it.
 *
 * @param watchPort the monitor's death-watch socket ({@link WatchSocket})
 */
public record MonitorEndpoint(String address, int port, long pid, String node, int watchPort) {

    static final String KEY = "endpoint";

    /** The endpoint last recorded for {@code position}, if a monitor of it ever ran. */
    public static Optional<MonitorEndpoint> read(CoordinatorStore store, String position) throws StoreException {
        return store.get(Monitor.scope(position), KEY).map(bytes -> Json.read(bytes, MonitorEndpoint.class));
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }
}
