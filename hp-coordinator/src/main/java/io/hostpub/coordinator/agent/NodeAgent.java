package io.hostpub.coordinator.agent;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.job.RestartPolicy;
import io.hostpub.coordinator.monitor.ParentWatch;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.operator.OperatorRelay;
import io.hostpub.coordinator.operator.ClusterShutdown;
import io.hostpub.coordinator.shutdown.ShutdownWatch;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.store.Stores;
import io.hostpub.coordinator.rollout.Rollouts;
import io.hostpub.coordinator.rollout.WarFetch;
import io.hostpub.coordinator.rollout.WarShelf;
import io.hostpub.coordinator.view.ClusterView;
import io.hostpub.coordinator.wire.ClusterServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a node runs for the hierarchy, in one object: the plan's store, the {@link HostAgent} and its
 * {@link ParentWatch} on the node's local coordinator (which it starts when nobody polls). What {@code hpctl agent}
 * runs, and what {@code hpctl demo} embeds.
 */
public final class NodeAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());
    /** How long the cluster report waits for each agent's and coordinator's status. */
    private static final Duration REPORT_CALL_TIMEOUT = Duration.ofSeconds(2);

    private final ClusterPlan plan;
    private final Path home;
    private final CoordinatorStore store;
    private final HostAgent agent;
    private final ParentWatch watch;
    private final ShutdownWatch shutdown;
    private final WarFetch wars;
    private volatile String shutDownFor;

    private NodeAgent(ClusterPlan plan, Path home, CoordinatorStore store, HostAgent agent, ParentWatch watch,
            ShutdownWatch shutdown, WarFetch wars) {
        this.plan = plan;
        this.wars = wars;
        this.home = home;
        this.store = store;
        this.agent = agent;
        this.watch = watch;
        this.shutdown = shutdown;
    }

    /**
     * Starts the agent of {@code node}, under the plan in force (read with the agent's own store session: an agent's
     * start is on the path of its recovery, and with ZooKeeper a session of its own cost a third of a second more).
     *
     * @param file  the plan file ({@code conf/cluster.json}); its live parts give way to the store's revision
     * @param bind  where to listen (default: the node's address in the plan, at the plan's agent port)
     * @param onEnd run once when the agent ended on its own: another agent of the node took over, or a shutdown
     *              order covered the node and its jobs are stopped; the process should exit
     * @throws IllegalArgumentException when the plan in force has no such node
     */
    public static NodeAgent start(ClusterPlan file, Path home, String node, Optional<InetSocketAddress> bind,
            Runnable onEnd) throws IOException, StoreException {
        CoordinatorStore store = Stores.open(file, home);
        WarShelf shelf = new WarShelf(home);
        WarFetch wars = null;
        try {
            ClusterPlan plan = LivePlan.inForceOrFile(store, file);
            if (plan.nodes().stream().noneMatch(n -> n.name().equals(node))) {
                throw new IllegalArgumentException("no node " + node + " in the plan in force: apply the plan that"
                        + " adds it first (hpctl cluster apply), or start the agent of a node the plan has");
            }
            ClusterWire wire = ClusterWire.of(plan, InstallationSecret.loadOrCreate(home.resolve("conf")
                    .resolve("secret")));
            AgentSettings settings = new AgentSettings(node, bind.orElse(plan.agentEndpoint(node)),
                    home.resolve("nodes").resolve(node), RestartPolicy.DEFAULT, Duration.ofSeconds(10));
            NodeAgent[] self = new NodeAgent[1];
            LivePlan live = new LivePlan(plan, store);
            ShutdownWatch shutdown = new ShutdownWatch(plan, store, node, plan.pollInterval(),
                    order -> self[0].shutDown(order, settings.stopGrace(), onEnd), () -> live.current().nodes()
                            .stream().anyMatch(n -> n.name().equals(node)) ? Optional.empty() : Optional.of(
                                    "removal of node " + node + " from the plan (version " + live.version() + ")"));
            // each fetch reads the plan in force on its own thread: a node added by an apply serves versions too
            LivePlan fetchPlan = new LivePlan(plan, store);
            wars = new WarFetch(node, shelf, store, fetchPlan::current, wire.client(Duration.ofSeconds(2)));
            HostAgent agent = startAgent(plan, home, settings, store, wire, onEnd, shutdown, shelf, wars);
            ParentWatch watch = plan.parentOf(node).map(parent -> ParentWatch.ofPlan(plan, home, node, node, parent,
                    agent.parents(), store, wire))
                    .orElse(null);
            self[0] = new NodeAgent(plan, home, store, agent, watch, shutdown, wars);
            shutdown.start();
            return self[0];
        } catch (IOException | StoreException | RuntimeException e) {
            if (wars != null) {
                wars.close();
            }
            store.close();
            throw e;
        }
    }

    /** The node's part of a shutdown: no job starts from now on, no coordinator is launched, the jobs stop. */
    private void shutDown(String order, Duration grace, Runnable onEnd) {
        LOG.log(Level.INFO, "agent {0}: SHUTTING DOWN for the {1}: stopping its jobs (SIGKILL after {2} s), starting"
                + " nothing", agent.node(), order, grace.toSeconds());
        shutDownFor = order;
        agent.refuseJobsFor(order);
        try {
            stopJobsAndClose(grace);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "agent {0}: stopping the jobs for the shutdown failed: {1}", agent.node(),
                    e.toString());
            close();
        }
        LOG.log(Level.INFO, "agent {0}: shut down", agent.node());
        onEnd.run();
    }

    /** Starts the agent; a hung predecessor still holding the node's port is killed first ({@link HungPredecessor}). */
    private static HostAgent startAgent(ClusterPlan plan, Path home, AgentSettings settings, CoordinatorStore store,
            ClusterWire wire, Runnable onSuperseded, ShutdownWatch shutdown, WarShelf shelf, WarFetch wars)
            throws IOException, StoreException {
        try {
            return HostAgent.start(settings, store, wire, Clock.systemUTC(), onSuperseded,
                    HostAgent.JobListener.NONE, clusterRoutes(plan, home, store, wire, shutdown, shelf),
                    wars::command);
        } catch (java.net.BindException taken) {
            if (!HungPredecessor.evict(settings.node(), home, settings.bind(), store, wire.client(plan.pollInterval()),
                    Duration.ofMillis(Math.max(1_000, 2 * plan.pollIntervalMs())))) {
                throw taken;
            }
            return HostAgent.start(settings, store, wire, Clock.systemUTC(), onSuperseded,
                    HostAgent.JobListener.NONE, clusterRoutes(plan, home, store, wire, shutdown, shelf),
                    wars::command);
        }
    }

    /**
     * What every agent answers for the whole cluster, so the WAR and {@code hpctl} ask an agent instead of opening the
     * store themselves: the report of the hierarchy, and operator requests relayed to the coordinator in charge; and
     * the WAR versions this node keeps, for peers that lack one.
     */
    private static ClusterServer.Routes clusterRoutes(ClusterPlan plan, Path home, CoordinatorStore store,
            ClusterWire wire, ShutdownWatch shutdown, WarShelf shelf) {
        ClusterClient client = wire.client(Duration.ofSeconds(1));
        ClusterView view = new ClusterView(plan, store, client, Clock.systemUTC(), REPORT_CALL_TIMEOUT);
        OperatorRelay relay = new OperatorRelay(plan, store, client);
        ClusterShutdown orders = new ClusterShutdown(plan, home, store, client, Clock.systemUTC());
        return new ClusterServer.Routes()
                .on(ClusterRoutes.CLUSTER_REPORT, (NoBody none) -> {
                    try {
                        return view.report();
                    } catch (StoreException e) {
                        throw new ClusterRefusal(OperatorRelay.UNREACHABLE, "cluster store unavailable: "
                                + e.getMessage());
                    }
                })
                .on(ClusterRoutes.CLUSTER_OPERATOR, request -> switch (request.operation()) {
                    case SHUTDOWN -> receipt(request, List.of(orders.order(request.name(), request.by())
                            .describe()));
                    case START -> receipt(request, orders.start(request.name()));
                    case ABORT_ROLLOUT -> receipt(request, List.of(ClusterView.describe(Rollouts.abort(store,
                            request.name(), request.by(), Clock.systemUTC().instant()))));
                    default -> relay.relay(request);
                })
                .on(ClusterRoutes.WAR_PIECE, shelf::piece)
                .on(ClusterRoutes.AGENT_SHUTDOWN, (NoBody none) -> {
                    shutdown.nudge();
                    return NoBody.INSTANCE;
                });
    }

    /** The shutdown order the agent stopped for, once one covered its node. */
    public Optional<String> shutDownFor() {
        return Optional.ofNullable(shutDownFor);
    }

    /** The receipt of a shutdown or start: the scope, and what the agent did. */
    private static OperatorReceipt receipt(OperatorRequest request, List<String> done) {
        return new OperatorReceipt(request.name(), OperatorIntent.NONE, done);
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
            wars.close();
            store.close();
            shutdown.close(); // last: this may run on the watch's own thread, which closing interrupts
        }
    }

    /** Closes the agent; the jobs keep running for the next agent of the node to adopt. */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        shutdown.close();
        agent.close();
        wars.close();
        store.close();
    }
}
