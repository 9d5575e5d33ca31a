package io.hostpub.coordinator.store;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;

/** Opens the store a plan names: the embedded journal under the home, or ZooKeeper. */
public final class Stores {

    private Stores() {
    }

    public static CoordinatorStore open(ClusterPlan plan, Path home) throws StoreException {
        StoreSettings settings = plan.store();
        if (settings.kind().equals("zookeeper")) {
            return ZooKeeperStore.connect(settings.connect(), settings.base(), Duration.ofSeconds(10),
                    Duration.ofSeconds(15));
        }
        return JournalStore.open(home.resolve("coordinator"));
    }

    /**
     * The store for a reader that must answer even when ZooKeeper has no quorum ({@code hpctl cluster}): a session
     * within 5 s, else an {@link UnreachableStore} that says why. The embedded journal opens as for a writer.
     */
    public static CoordinatorStore openForReading(ClusterPlan plan, Path home) throws StoreException {
        StoreSettings settings = plan.store();
        if (!settings.kind().equals("zookeeper")) {
            return open(plan, home);
        }
        try {
            return ZooKeeperStore.connect(settings.connect(), settings.base(), Duration.ofSeconds(10),
                    Duration.ofSeconds(5));
        } catch (StoreException e) {
            return new UnreachableStore("zookeeper " + settings.connect() + settings.base(), e);
        }
    }
}
