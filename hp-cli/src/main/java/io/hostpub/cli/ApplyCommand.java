package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.coordinator.Main;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.PlanFiles;
import io.hostpub.coordinator.operator.NodeDrain;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.plan.PlanChange;
import io.hostpub.coordinator.plan.PlanRevision;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hpctl cluster apply FILE [--version N] [--dry-run] [--wait SECONDS]}: changes the applications of a running
 * installation without restarting anything, and {@code hpctl cluster scale APP COUNT}: one count.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Validate a plan file, print how its nodes and applications differ from the plan in force, and "
                + "make them the plan in force (a new version in the cluster store), without restarting any agent or "
                + "coordinator: new applications and added members are placed, removed ones stopped; a node added "
                + "under a local coordinator gets its agent started and jobs placed on it; a node removed is drained "
                + "first (its jobs move) and then its agent stops. Waits until every wanted job serves and no "
                + "unwanted one runs."})
final class ApplyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the new plan (the format of conf/cluster.json)")
    Path file;

    @Option(names = "--version", paramLabel = "N",
            description = "the plan version this change was made from (as apply --dry-run printed it): refused when"
                    + " another change came first")
    Long version;

    @Option(names = "--dry-run", description = "print the difference, change nothing")
    boolean dryRun;

    @Mixin
    JobsWaitOption wait;

    @Override
    public Integer call() throws Exception {
        Path home = InstallationPaths.fromEnvironment().home();
        ClusterPlan next;
        try {
            next = PlanFiles.read(file.toAbsolutePath(), home);
        } catch (IOException e) {
            throw new Main.UsageException(e.getMessage() + " (nothing changed)");
        }
        return applyPlan(home, next, version, dryRun, wait.seconds);
    }

    /** Applies {@code next}'s applications (what apply and scale share). */
    static int applyPlan(Path home, ClusterPlan next, Long version, boolean dryRun, int waitSeconds)
            throws Exception {
        if (waitSeconds < 0 || waitSeconds > 3600) {
            throw new IllegalArgumentException("--wait must be 0-3600 seconds, not " + waitSeconds);
        }
        ClusterPlan base = ClusterCommand.plan(home);
        try (CoordinatorStore store = Stores.open(base, home)) {
            PlanRevision current = LivePlan.revision(store).orElse(new PlanRevision(0, java.time.Instant.EPOCH, "",
                    base.applications()));
            ClusterPlan inForce = LivePlan.inForce(store, base);
            System.out.println("plan version " + current.version() + " in force" + (current.version() == 0 ? " (the"
                    + " plan file's)" : " (applied " + current.at() + " by " + current.by() + ")"));
            List<String> diff = PlanChange.diff(inForce, next);
            diff.forEach(System.out::println);
            if (diff.isEmpty()) {
                System.out.println("no change to the nodes or the applications");
            }
            if (dryRun) {
                return Hpctl.OK;
            }
            long began = System.nanoTime();
            ClusterWire wire = ClusterWire.of(base, ClusterCommand.secret(home));
            List<String> removed = PlanChange.removedNodes(inForce, next);
            if (!removed.isEmpty() && PlanChange.notLive(inForce, next).isEmpty()) {
                List<String> held = new NodeDrain(inForce, store, wire.client(Duration.ofSeconds(1)))
                        .emptyNodes(removed, Duration.ofSeconds(Math.max(waitSeconds, 30)));
                if (!held.isEmpty()) {
                    System.err.println("hpctl: the nodes to remove still hold jobs; nothing changed (they stay"
                            + " drained: undrain them from the cluster page, or apply again):");
                    held.forEach(what -> System.err.println("  " + what));
                    return Hpctl.FAILED;
                }
            }
            PlanRevision applied = LivePlan.apply(store, base, next, version, System.getProperty("user.name")
                    + " (hpctl)", Clock.systemUTC().instant());
            if (applied.version() != current.version()) {
                System.out.println("applied as plan version " + applied.version());
            }
            if (waitSeconds == 0) {
                return Hpctl.OK;
            }
            List<String> left = new JobsMatch(base, store, wire.client(Duration.ofSeconds(1)))
                    .await(LivePlan.jobNames(next), Duration.ofSeconds(waitSeconds));
            if (!left.isEmpty()) {
                System.err.println("hpctl: the jobs do not match the plan after " + waitSeconds + " s:");
                left.forEach(what -> System.err.println("  " + what));
                return Hpctl.FAILED;
            }
            System.out.println("every wanted job serves, no other runs (" + (System.nanoTime() - began) / 1_000_000
                    + " ms)");
            return Hpctl.OK;
        }
    }
}
