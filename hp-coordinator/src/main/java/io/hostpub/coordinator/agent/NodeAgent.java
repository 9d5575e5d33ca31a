package io.hostpub.coordinator.agent;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.job.RestartPolicy;
import io.hostpub.coordinator.monitor.ParentWatch;
import io.hostpub.coordinator.plan.ClusterPlan;
import io.hostpub.coordinator.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.store.Stores;
import io.hostpub.coordinator.wire.RequestSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Everything a node runs for the hierarchy, in one object: the plan's store, the {@link HostAgent} and its
 * {@link ParentWatch} on the node's local coordinator (which it starts when nobody polls). What {@code hpctl agent}
 * runs, and what {@code hpctl demo} embeds.
 */
public final class NodeAgent implements AutoCloseable {

    private final ClusterPlan plan;
    private final Path home;
    private final CoordinatorStore store;
    private final HostAgent agent;
    private final ParentWatch watch;

    private NodeAgent(ClusterPlan plan, Path home, CoordinatorStore store, HostAgent agent, ParentWatch watch) {
        this.plan = plan;
        this.home = home;
        this.store = store;
        this.agent = agent;
        this.watch = watch;
    }

    /**
     * Starts the agent of {@code node}.
     *
     * @param bind         where to listen (default: the node's address in the plan, at the plan's agent port)
     * @param onSuperseded run when another agent of the node took over
     */
    public static NodeAgent start(ClusterPlan plan, Path home, String node, Optional<InetSocketAddress> bind,
            Runnable onSuperseded) throws IOException, StoreException {
        plan.node(node);
        CoordinatorStore store = Stores.open(plan, home);
        try {
            RequestSigner signer = new RequestSigner(InstallationSecret.loadOrCreate(home.resolve("conf")
                    .resolve("secret")), Clock.systemUTC());
            HostAgent agent = HostAgent.start(new AgentSettings(node, bind.orElse(plan.agentEndpoint(node)),
                    home.resolve("nodes").resolve(node), RestartPolicy.DEFAULT, Duration.ofSeconds(10)), store, signer,
                    Clock.systemUTC(), onSuperseded);
            ParentWatch watch = plan.parentOf(node).map(parent -> parentWatch(plan, home, node, node, parent,
                    () -> agent.lastPolled(parent.position()), () -> agent.parentLink(parent.position()), store))
                    .orElse(null);
            return new NodeAgent(plan, home, store, agent, watch);
        } catch (IOException | StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A watch of {@code child} (a node's agent or a monitor position) running on {@code node} that starts
     * {@code parent} (on this node if it may run here, else on one of its candidates).
     */
    public static ParentWatch parentWatch(ClusterPlan plan, Path home, String child, String node,
            MonitorPosition parent,
            java.util.function.Supplier<Optional<java.time.Instant>> lastPolled,
            java.util.function.Supplier<Optional<String>> parentLink, CoordinatorStore store) {
        Duration poll = plan.pollInterval();
        Random random = new Random();
        Launcher launcher = new Launcher(plan, home);
        // a dead parent is seen at once through the death-watch link; silence only catches a hung one, so it must
        // outlast the longest gap between two polls of a healthy parent: two intervals plus one poll cycle (its
        // poll timeout, as Monitor sets it). A back-off of up to half an interval spreads the children that noticed
        // the death at the same moment
        Duration silence = poll.multipliedBy(2).plus(Duration.ofMillis(Math.max(1_000, poll.toMillis() * 2)));
        return new ParentWatch(child, parent.position(), lastPolled, parentLink, silence, poll.dividedBy(2), store,
                () -> {
                    List<String> candidates = plan.candidateNodes(parent);
                    String where = candidates.contains(node) ? node : candidates.get(random.nextInt(candidates.size()));
                    return "pid " + launcher.launchMonitor(parent.position(), where) + " on " + where;
                }, Clock.systemUTC(), random).start();
    }

    public HostAgent agent() {
        return agent;
    }

    public ClusterPlan plan() {
        return plan;
    }

    public Path home() {
        return home;
    }

    /** Stops watching (and restarting) the node's coordinator: the first step of taking the node down. */
    public void stopWatchingParent() {
        if (watch != null) {
            watch.close();
        }
    }

    /**
     * Shuts the node down: stops watching the parent, stops every job (SIGTERM, then SIGKILL after
     * {@code timeout}), closes the agent. The coordinator, if it should not restart the agent, must be stopped first.
     */
    public void stopJobsAndClose(Duration timeout) throws Exception {
        if (watch != null) {
            watch.close();
        }
        try {
            agent.stopAllJobsAndClose(timeout);
        } finally {
            store.close();
        }
    }

    /** Closes the agent; the jobs keep running for the next agent of the node to adopt. */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        agent.close();
        store.close();
    }
}
