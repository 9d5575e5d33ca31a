package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.coordinator.Main;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.PlanFiles;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hpctl cluster scale APP COUNT}: one application's member count, changed live. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Set one application's member count in the plan in force (a new plan version, as apply), "
                + "then wait until every wanted job serves and no unwanted one runs."})
final class ScaleCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "APP", description = "the application")
    String application;

    @Parameters(index = "1", paramLabel = "COUNT", description = "its member count (0-1000)")
    int count;

    @Mixin
    JobsWaitOption wait;

    @Override
    public Integer call() throws Exception {
        Path home = InstallationPaths.fromEnvironment().home();
        ClusterPlan base = ClusterCommand.plan(home);
        ClusterPlan inForce;
        long version;
        try (CoordinatorStore store = Stores.open(base, home)) {
            LivePlan live = new LivePlan(base, store);
            inForce = live.current();
            version = live.version();
        }
        ClusterPlan next;
        try {
            next = PlanFiles.withCount(inForce, application, count);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage() + " (nothing changed)");
        }
        // made from the version read above: a change that came in between is refused, not overwritten
        return ApplyCommand.applyPlan(home, next, version, false, wait.seconds);
    }
}
