package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/** A licensed connection pool and its physical connections. */
public record PoolInfo(String name, String url, int maxSize, int active, int idle, int waiting,
        List<ConnectionInfo> connections) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public PoolInfo {
        Checks.text(name, "name", 200);
        Checks.text(url, "url", 2_000);
        Checks.nonNegative(maxSize, "maxSize");
        Checks.nonNegative(active, "active");
        Checks.nonNegative(idle, "idle");
        Checks.nonNegative(waiting, "waiting");
        connections = Checks.list(connections, "connections");
    }
}
