package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.operator.ClusterShutdown;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What {@code hpctl cluster shutdown} and {@code start} share: the scope and the wait, the installation's plan, store
 * and wire, and the report of what is left when the wait is over (exit 1).
 */
abstract class ScopeCommand implements Callable<Integer> {

    @Option(names = "--scope", paramLabel = "POSITION", defaultValue = ShutdownOrder.ALL,
            description = "a coordinator position (local/l1, group/g1): it and everything beneath it (default: all)")
    String scope;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait (1-3600 s)")
    int waitSeconds;

    @Override
    public final Integer call() throws Exception {
        if (waitSeconds < 1 || waitSeconds > 3600) {
            throw new IllegalArgumentException("--wait must be 1-3600 seconds, not " + waitSeconds);
        }
        Path home = InstallationPaths.fromEnvironment().home();
        ClusterPlan plan = ClusterCommand.plan(home);
        try (CoordinatorStore store = Stores.open(plan, home)) {
            ClusterShutdown cluster = new ClusterShutdown(plan, home, store, ClusterWire.of(plan,
                    ClusterCommand.secret(home)).client(Duration.ofSeconds(1)), Clock.systemUTC());
            long began = System.nanoTime();
            List<String> left = run(cluster, Duration.ofSeconds(waitSeconds));
            if (!left.isEmpty()) {
                System.err.println("hpctl: " + leftOver() + " after " + waitSeconds + " s:");
                left.forEach(what -> System.err.println("  " + what));
                return Hpctl.FAILED;
            }
            System.out.println(done(cluster) + " (" + (System.nanoTime() - began) / 1_000_000 + " ms)");
            return Hpctl.OK;
        }
    }

    /** Acts on the scope and waits; returns what is left undone when the wait is over. */
    abstract List<String> run(ClusterShutdown cluster, Duration wait) throws Exception;

    /** How the list of what is left is introduced. */
    abstract String leftOver();

    /** The line printed when all went well. */
    abstract String done(ClusterShutdown cluster);
}
