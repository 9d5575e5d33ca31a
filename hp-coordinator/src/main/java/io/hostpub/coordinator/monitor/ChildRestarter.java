package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.plan.Launcher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Downward restart (seed FIG. 5): an active coordinator starts a new process for every child it found dead, an agent
 * on its own node, a lower coordinator on one of its candidate nodes whose agent answers; then gives it
 * {@link #restartGrace(ClusterPlan)} to answer before it tries again, doubled for each start in a row that never
 * answered ({@link ParentRestartPacing#launchGrace}).
 */
final class ChildRestarter {

    private static final System.Logger LOG = System.getLogger(ChildRestarter.class.getName());

    private final String position;
    private final Supplier<ClusterPlan> plans;
    private final Launcher launcher;
    private final Clock clock;
    private final Random random;

    ChildRestarter(String position, ClusterPlan plan, Launcher launcher, Clock clock, Random random) {
        this(position, () -> plan, launcher, clock, random);
    }

    /** @param plans the plan in force, whose nodes change live */
    ChildRestarter(String position, Supplier<ClusterPlan> plans, Launcher launcher, Clock clock, Random random) {
        this.position = position;
        this.plans = plans;
        this.launcher = launcher;
        this.clock = clock;
        this.random = random;
    }

    /** How long a restarted child gets to answer before it is restarted again. */
    static Duration restartGrace(ClusterPlan plan) {
        return Duration.ofMillis(Math.max(5_000, plan.pollIntervalMs() * 5));
    }

    /** Restarts the dead children that no shutdown order among {@code orders} keeps stopped. */
    void restartDead(Map<String, ChildTrack> children, List<ShutdownOrder> orders) {
        ClusterPlan plan = plans.get();
        Instant now = clock.instant();
        Duration grace = restartGrace(plan);
        for (ChildTrack child : children.values()) {
            if (child.state != ChildState.DOWN || child.launchPending(now)) {
                continue;
            }
            Optional<ShutdownOrder> order = orders.stream().filter(o -> o.covers(plan, child.name)).findFirst();
            if (order.isPresent()) {
                if (child.shutdownLogged == null || !child.shutdownLogged.equals(order.get())) {
                    child.shutdownLogged = order.get();
                    LOG.log(Level.INFO, "monitor {0}: child {1} stays down for the {2}", position, child.name,
                            order.get().describe());
                }
                continue;
            }
            try {
                long pid = child.agent ? launcher.launchAgent(child.name)
                        : launcher.launchMonitor(child.name, chooseNodeFor(plan, plan.monitor(child.name), children));
                // the same pacing as children starting a parent: doubled for each start in a row never answered
                Duration answerWithin = ParentRestartPacing.launchGrace(grace, child.unansweredLaunches);
                child.launched(now, answerWithin);
                child.statistics = child.statistics.plusRestart();
                LOG.log(Level.INFO, "monitor {0}: restarted dead child {1} (pid {2}; it has {3} ms to answer)",
                        position, child.name, pid, answerWithin.toMillis());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "monitor {0}: could not restart child {1}: {2}", position, child.name,
                        e.toString());
            }
        }
    }

    private String chooseNodeFor(ClusterPlan plan, MonitorPosition child, Map<String, ChildTrack> children) {
        List<String> candidates = plan.candidateNodes(child);
        // prefer nodes whose agent answers (a local monitor knows; above that, any candidate)
        List<String> alive = candidates.stream().filter(n -> {
            ChildTrack agent = children.get(n);
            return agent == null || agent.state == ChildState.UP;
        }).toList();
        List<String> pool = alive.isEmpty() ? candidates : alive;
        return pool.get(random.nextInt(pool.size()));
    }
}
