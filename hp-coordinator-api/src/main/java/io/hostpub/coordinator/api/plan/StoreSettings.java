package io.hostpub.coordinator.api.plan;

/**
 * Where the coordinators keep their fenced state ({@code "store"} in {@code cluster.json}).
 *
 * @param kind    {@code journal} (embedded, one machine) or {@code zookeeper}
 * @param connect ZooKeeper connect string (zookeeper only)
 * @param base    ZooKeeper base path, default {@code /hostpub}
 */
public record StoreSettings(String kind, String connect, String base) {
    public StoreSettings {
        kind = kind == null ? "journal" : kind;
        if (!kind.equals("journal") && !kind.equals("zookeeper")) {
            throw new IllegalArgumentException("store kind must be journal or zookeeper, got " + kind);
        }
        if (kind.equals("zookeeper") && (connect == null || connect.isBlank())) {
            throw new IllegalArgumentException("a zookeeper store needs 'connect' (host:port,...)");
        }
        base = base == null ? "/hostpub" : base;
    }
}
