package io.hostpub.coordinator.monitor;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.shutdown.ShutdownOrders;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.wire.ClusterServer;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one generic monitor of the hierarchy (seed FIG. 5, 0128), configured by its position as a local coordinator
 * (children: host agents; places and keeps the jobs of its applications), a group coordinator (children: local
 * coordinators) or a universal coordinator (children: group coordinators).
 *
 * <p>Every poll cycle ({@link ChildPoller}) it polls each child with its {@link ElectionValue} (its fencing epoch). A
 * child that returns a better value has seen a newer monitor of this position: this one is a duplicate and commits
 * suicide, as when the store rejects its checkpoint. A new monitor is PASSIVE (no restarts, no placement) until it has
 * completed one full poll cycle; then ACTIVE: it restarts dead children ({@link ChildRestarter}), places and moves jobs
 * ({@link JobReconciler}), acts on operators' intents ({@link OperatorDesk}) and checkpoints its {@link MonitorMemory}
 * for a successor (seed FIG. 11), only in a cycle in which the store confirmed its fence ({@link StoreTrouble}); it
 * stops when a shutdown order covers its position.
 *
 * <pre>
 *   universal/u ──polls──▶ group/g1 ──polls──▶ local/l1 ──polls──▶ agent n1 ──onExit──▶ jobs
 *        ▲ restarts ▼          ▲ restarts ▼         ▲ restarts ▼        (restart on the node)
 *
 *   lifecycle: NEW -> STARTING -> RUNNING (role PASSIVE -> ACTIVE) -> STOPPING -> STOPPED (CLOSED, or SUICIDED)
 * </pre>
 */
public final class Monitor extends LifeCycle<Exception> implements OperatorDesk.Coordinator {

    private static final System.Logger LOG = System.getLogger(Monitor.class.getName());

    private final ClusterPlan plan;
    private final MonitorPosition position;
    private final String node;
    private final InetSocketAddress bind;
    private final CoordinatorStore store;
    private final ClusterWire wire;
    private final Clock clock;
    private final Runnable onEnd;
    private final String instanceId = UUID.randomUUID().toString();
    private final String threadName;
    private final AtomicReference<MonitorState> role = new AtomicReference<>(MonitorState.PASSIVE);
    private final AtomicBoolean suicided = new AtomicBoolean();
    private final Map<String, ChildTrack> children = new ConcurrentSkipListMap<>(); // see ChildSync
    private final LivePlan live;
    private final ParentPolls parents;
    private final ScheduledThreadPoolExecutor cycles;
    private final ExecutorService polls;
    private final MonitorMemory memory = new MonitorMemory();
    private final StoreTrouble storeTrouble;
    private final ChildPoller poller;
    private final ChildRestarter restarter;
    private final JobReconciler reconciler;
    private final OperatorDesk desk;
    private final StandbyKeeper standby;
    private volatile OperatorIntent operatorReport = OperatorIntent.NONE;
    private volatile List<ChildStatus> childReport = List.of();
    private volatile Map<String, io.hostpub.coordinator.api.job.JobAvailability> jobReport = Map.of();
    private Fence fence;
    private volatile ElectionValue election;
    private ClusterServer server;
    private WatchSocket watch;
    private int completedCycles;
    private volatile Thread cycleThread; // closing from a cycle (shutdown, suicide) must not interrupt itself

    private Monitor(ClusterPlan plan, MonitorPosition position, String node, InetSocketAddress bind,
            CoordinatorStore store, ClusterWire wire, Launcher launcher, Clock clock, Runnable onEnd) {
        super("monitor " + position.position());
        this.plan = plan;
        this.position = position;
        this.node = node;
        this.bind = bind;
        this.store = store;
        this.wire = wire;
        this.clock = clock;
        this.onEnd = onEnd;
        this.parents = new ParentPolls(clock);
        this.threadName = "monitor-" + position.position().replace('/', '-');
        this.storeTrouble = new StoreTrouble(position.position(), store);
        this.cycles = new ScheduledThreadPoolExecutor(1, new NamedThreads(threadName + "-cycle"));
        this.polls = Executors.newFixedThreadPool(4, new NamedThreads(threadName + "-poll"));
        for (String child : position.children()) {
            children.put(child, new ChildTrack(child, position.level() == ClusterPlan.Level.LOCAL, clock.instant()));
        }
        this.live = new LivePlan(plan, store);
        ClusterClient client = wire.client(plan.pollInterval());
        this.poller = new ChildPoller(live::current, store, client, polls, clock,
                child -> watch != null && watch.linkOpen(child), (kids, now) -> ChildSync.sync(kids, live.current(),
                        position.position(), node, memory, now));
        this.restarter = new ChildRestarter(position.position(), live::current, launcher, clock, new Random());
        this.reconciler = new JobReconciler(position.position(), plan, store, memory, client, clock);
        this.desk = new OperatorDesk(this, memory, cycles, intent -> operatorReport = intent);
        this.standby = new StandbyKeeper(live::current, position, node, launcher, store, clock, new Random());
    }

    /** The store scope of a monitor position. */
    public static String scope(String position) {
        return "monitor/" + position;
    }

    /**
     * Starts the monitor of {@code position} on {@code node}: takes the position's fence (its election value),
     * recovers the predecessor's checkpoint, opens the endpoint and begins polling, passive for the first cycle.
     *
     * @param onEnd run once when this monitor finds it is a duplicate or was superseded, or stopped for a shutdown
     *              order; the process should exit
     */
    public static Monitor start(ClusterPlan plan, String position, String node, InetSocketAddress bind,
            CoordinatorStore store, ClusterWire wire, Launcher launcher, Clock clock, Runnable onEnd)
            throws IOException, StoreException {
        Monitor monitor = new Monitor(plan, plan.monitor(position), node, bind, store, wire, launcher, clock, onEnd);
        try {
            monitor.start();
        } catch (IOException | StoreException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(monitor.component() + " failed to start: " + e, e);
        }
        return monitor;
    }

    @Override
    protected void doStart() throws IOException, StoreException {
        server = ClusterServer.start(threadName, bind, wire, desk.serve(new ClusterServer.Routes()
                .on(ClusterRoutes.MONITOR_POLL, poll -> report(parents.polled(poll)))
                .on(ClusterRoutes.MONITOR_STATUS, (NoBody none) -> report(election == null
                        ? ElectionValue.NONE : election))));
        watch = WatchSocket.open(bind.getAddress(), threadName, wire.signer(), clock);
        fence = store.acquire(scope(position.position()), "monitor " + position.position() + " on " + node + " pid "
                + ProcessHandle.current().pid());
        election = new ElectionValue(fence.epoch(), instanceId);
        memory.recover(store, position.position(), children);
        operatorReport = memory.intent();
        InetSocketAddress address = server.address();
        store.put(fence, MonitorEndpoint.KEY, Json.write(new MonitorEndpoint(address.getAddress().getHostAddress(),
                address.getPort(), ProcessHandle.current().pid(), node, watch.port())));
        LOG.log(Level.INFO, "monitor {0}: PASSIVE on node {1} at {2} (epoch {3}), {4} children", position.position(),
                node, address, fence.epoch(), children.size());
        cycles.scheduleWithFixedDelay(this::cycle, 0, plan.pollIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** STARTING, then the role (PASSIVE, ACTIVE) while running, then CLOSED (stopped, or shut down) or SUICIDED. */
    public MonitorState monitorState() {
        return switch (state()) {
            case NEW, STARTING -> MonitorState.STARTING;
            case RUNNING -> role.get();
            default -> suicided.get() ? MonitorState.SUICIDED : MonitorState.CLOSED;
        };
    }

    @Override
    public MonitorPosition position() {
        return position;
    }

    /** What this monitor remembers of its parents' polls. */
    public ParentPolls parents() {
        return parents;
    }

    private MonitorReply report(ElectionValue kept) {
        return new MonitorReply(position.position(), instanceId, ProcessHandle.current().pid(), monitorState(), kept,
                childReport, operatorReport, storeTrouble.problem(), jobReport);
    }

    @Override
    public Set<String> desiredJobs() {
        return reconciler.desired().keySet();
    }

    @Override
    public boolean watchesNode(String name) {
        return children.containsKey(name);
    }

    private void cycle() {
        if (isStopped()) {
            return; // not "!isRunning()": the first cycle may begin before start() has marked this RUNNING
        }
        cycleThread = Thread.currentThread();
        try {
            Poll poll = new Poll(position.position(), election, server.address().getAddress().getHostAddress() + ":"
                    + watch.port());
            Optional<String> duplicate = poller.pollAll(children, poll, election);
            if (duplicate.isPresent()) {
                superseded(duplicate.get());
                return;
            }
            completedCycles++;
            store.confirm(fence);
            List<ShutdownOrder> orders = ShutdownOrders.read(store);
            Optional<ShutdownOrder> mine = ShutdownOrders.first(orders, plan, position.position());
            if (mine.isPresent()) {
                LOG.log(Level.INFO, "monitor {0}: STOPPING for the {1}", position.position(), mine.get().describe());
                close();
                onEnd.run();
                return;
            }
            boolean everyChildKnown = children.values().stream().allMatch(ChildTrack::known);
            if (everyChildKnown && role.compareAndSet(MonitorState.PASSIVE, MonitorState.ACTIVE)) {
                LOG.log(Level.INFO, "monitor {0}: ACTIVE after {1} poll cycle(s), every child answered or is dead,"
                        + " fence confirmed (epoch {2})", position.position(), completedCycles, fence.epoch());
            }
            if (role.get() == MonitorState.ACTIVE) {
                restarter.restartDead(children, orders);
                if (position.level() == ClusterPlan.Level.LOCAL) {
                    reconciler.reconcile(children);
                }
                standby.tend(watch.linked(), watch::dismiss, fence);
            }
            childReport = ChildTrack.report(children.values(), live.current(), clock.instant());
            jobReport = Map.copyOf(memory.availability);
            checkpoint();
            storeTrouble.succeeded();
        } catch (StaleEpochException e) {
            superseded("the store rejected its write: " + e.getMessage());
        } catch (StoreException e) {
            childReport = ChildTrack.report(children.values(), live.current(), clock.instant());
            storeTrouble.failed(e, clock.instant(), fence, role).ifPresent(this::superseded);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (Exception e) {
            LOG.log(Level.WARNING, "monitor " + position.position() + ": poll cycle failed", e);
        }
    }

    @Override
    public void checkpoint() throws StoreException {
        memory.checkpoint(children.values(), clock.instant()).write(store, fence);
    }

    /** Suicide (seed 0128): another monitor of this position is better; leave without a word to the store. */
    @Override
    public void superseded(String reason) {
        if (isStopped() || !suicided.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.WARNING, "monitor {0}: SUICIDE (epoch {1}): {2}", position.position(),
                fence == null ? 0 : fence.epoch(), reason);
        close();
        onEnd.run();
    }

    /** Stops polling and serving; the watchers hear why (superseded or stopping) so none takes it for a death. */
    @Override
    protected void doStop() {
        if (Thread.currentThread() == cycleThread) {
            cycles.shutdown(); // the cycle closing returns at once; an interrupt would abort the endpoint's stop
        } else {
            cycles.shutdownNow();
        }
        polls.shutdownNow();
        if (watch != null) {
            watch.close(suicided.get() ? WatchSocket.SUPERSEDED : WatchSocket.STOPPING);
        }
        if (server != null) {
            server.close();
        }
        if (!suicided.get()) {
            LOG.log(Level.INFO, "monitor {0}: CLOSED", position.position());
        }
    }
}
