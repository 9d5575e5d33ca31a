package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.shutdown.ShutdownOrders;
import io.hostpub.coordinator.store.CoordinatorStore;
import java.util.List;
import java.util.Random;

/** How a child starts its parent monitor: on its own node if the parent may run there, else on one of its candidates. */
final class ParentLaunch {

    private ParentLaunch() {
    }

    /** Starts {@code parent} (or says why not: a shutdown order keeps it down), for the log. */
    static String launch(ClusterPlan plan, CoordinatorStore store, Launcher launcher, MonitorPosition parent,
            String node, Random random) throws Exception {
        var order = ShutdownOrders.covering(store, plan, parent.position());
        if (order.isPresent()) {
            return "not started: the " + order.get().describe() + " keeps it down";
        }
        List<String> candidates = plan.candidateNodes(parent);
        String where = candidates.contains(node) ? node : candidates.get(random.nextInt(candidates.size()));
        return "started pid " + launcher.launchMonitor(parent.position(), where) + " on " + where;
    }
}
