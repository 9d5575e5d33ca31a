package io.hostpub.coordinator.monitor;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The active monitor's care for its warm standby (plan key {@code "standby": true} of a position): each active poll
 * cycle it looks for a standby linked to its death-watch socket, publishes a change in a {@link StandbyNotice}, and
 * launches a standby when none is linked and none was launched within the launch grace, on another node than its own
 * when the position may run elsewhere (a standby on the same machine does not survive the machine).
 */
final class StandbyKeeper {

    private static final System.Logger LOG = System.getLogger(StandbyKeeper.class.getName());

    private final Supplier<ClusterPlan> plan;
    private final MonitorPosition position;
    private final String node;
    private final Launcher launcher;
    private final CoordinatorStore store;
    private final Clock clock;
    private final Random random;
    /** How long a launched standby may take to start and link before another is launched. */
    private final Duration launchGrace;
    private StandbyNotice published;
    private Instant launchedAt;

    /** @param plan the plan in force, whose nodes change live */
    StandbyKeeper(Supplier<ClusterPlan> plan, MonitorPosition position, String node, Launcher launcher,
            CoordinatorStore store, Clock clock, Random random) {
        this.plan = plan;
        this.position = position;
        this.node = node;
        this.launcher = launcher;
        this.store = store;
        this.clock = clock;
        this.random = random;
        Duration interval = plan.get().pollInterval();
        this.launchGrace = interval.multipliedBy(10).compareTo(Duration.ofSeconds(20)) > 0
                ? interval.multipliedBy(10) : Duration.ofSeconds(20);
    }

    /**
     * Called in an active cycle with the names linked to the death-watch socket.
     *
     * @param dismiss tells a linked standby it is not needed: a second one linked when the first took longer than
     *                the launch grace to link (a loaded machine) would otherwise stay for good
     */
    void tend(Collection<String> linkedNames, Consumer<String> dismiss, Fence fence) throws StoreException {
        if (!position.standby()) {
            return;
        }
        List<StandbyNotice> linked = linkedNames.stream().map(StandbyNotice::ofLinkName).flatMap(Optional::stream)
                .sorted(java.util.Comparator.comparingLong(StandbyNotice::pid)).toList();
        StandbyNotice now = linked.isEmpty() ? StandbyNotice.NONE : linked.get(0);
        for (StandbyNotice extra : linked.subList(Math.min(1, linked.size()), linked.size())) {
            LOG.log(Level.INFO, "monitor {0}: a second warm standby linked (pid {1} on node {2}): dismissed, one is"
                    + " kept (pid {3})", position.position(), String.valueOf(extra.pid()), extra.node(),
                    String.valueOf(now.pid()));
            dismiss.accept(StandbyNotice.linkName(extra.node(), extra.pid()));
        }
        if (!now.equals(published)) {
            store.put(fence, StandbyNotice.KEY, Json.write(now));
            published = now;
            LOG.log(Level.INFO, "monitor {0}: {1}", position.position(), now.linked()
                    ? "warm standby linked: pid " + now.pid() + " on node " + now.node()
                    : "no warm standby linked");
        }
        Instant at = clock.instant();
        if (!now.linked() && (launchedAt == null || Duration.between(launchedAt, at).compareTo(launchGrace) >= 0)) {
            launchedAt = at;
            String where = standbyNode();
            try {
                long pid = launcher.launchStandby(position.position(), where);
                LOG.log(Level.INFO, "monitor {0}: launched a warm standby on node {1} (pid {2})",
                        position.position(), where, String.valueOf(pid));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "monitor {0}: could not launch a warm standby on node {1}: {2}",
                        position.position(), where, e.toString());
            }
        }
    }

    private String standbyNode() {
        ClusterPlan inForce = plan.get();
        List<String> others = new ArrayList<>(inForce.candidateNodes(inForce.monitor(position.position())));
        others.remove(node);
        return others.isEmpty() ? node : others.get(random.nextInt(others.size()));
    }
}
