package io.hostpub.coordinator.monitor;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.wire.ClusterServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one generic monitor of the hierarchy (seed FIG. 5, 0128), configured by its position as a local coordinator
 * (children: host agents; places and keeps the jobs of its applications), a group coordinator (children: local
 * coordinators) or a universal coordinator (children: group coordinators).
 *
 * <p>Every poll cycle it polls each child with its {@link ElectionValue} (the fencing epoch the store granted it). A
 * child that returns a better value has seen a newer monitor for this position: this one is a duplicate and commits
 * suicide, as it does when the store rejects its checkpoint. A new monitor is {@link State#PASSIVE} (no restarts, no
 * placement) until it has completed one full poll cycle; then it restarts children that died (downward restart),
 * places missing jobs on the least loaded nodes, moves jobs that failed out of a node, stops duplicates, and
 * checkpoints its state so a successor recovers it (seed FIG. 11).
 *
 * <pre>
 *   universal/u ──polls──▶ group/g1 ──polls──▶ local/l1 ──polls──▶ agent n1 ──onExit──▶ jobs
 *        ▲ restarts ▼          ▲ restarts ▼         ▲ restarts ▼        (restart on the node)
 * </pre>
 */
public final class Monitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Monitor.class.getName());
    /** Polls a child may miss before it is declared dead (a refused connection counts as dead at once). */
    static final int MISSED_POLLS_DEAD = 2;

    /** Where a monitor listens, written to the store so its parent finds it. */
    public record MonitorEndpoint(String address, int port, long pid, String node, int watchPort) {
        InetSocketAddress socketAddress() {
            return new InetSocketAddress(address, port);
        }
    }

    private final ClusterPlan plan;
    private final MonitorPosition position;
    private final String node;
    private final CoordinatorStore store;
    private final ClusterClient client;
    private final Launcher launcher;
    private final Clock clock;
    private final Random random = new Random();
    private final Runnable onSuicide;
    private final String instanceId = UUID.randomUUID().toString();
    private final AtomicReference<MonitorState> state = new AtomicReference<>(MonitorState.STARTING);
    private final Map<String, ChildTrack> children = new LinkedHashMap<>();
    private final Map<String, ElectionValue> best = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastPolled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService cycles;
    private final ExecutorService polls;
    private final Map<String, String> placements = new TreeMap<>();
    private final Map<String, Set<String>> excluded = new TreeMap<>();
    private final Map<String, JobStatistics> jobStatistics = new TreeMap<>();
    private final Set<String> held = new java.util.TreeSet<>();
    private final Set<String> drained = new java.util.TreeSet<>();
    private volatile OperatorIntent operatorReport = OperatorIntent.NONE;
    private volatile List<ChildStatus> childReport = List.of();
    private Fence fence;
    private ElectionValue election;
    private ClusterServer server;
    private WatchSocket watch;
    private final Map<String, String> bestEndpoint = new ConcurrentHashMap<>();
    private int completedCycles;

    private Monitor(ClusterPlan plan, MonitorPosition position, String node, CoordinatorStore store,
            RequestSigner signer, Launcher launcher, Clock clock, Runnable onSuicide) {
        this.plan = plan;
        this.position = position;
        this.node = node;
        this.store = store;
        this.launcher = launcher;
        this.clock = clock;
        this.onSuicide = onSuicide;
        this.client = new ClusterClient(signer, plan.pollInterval());
        String prefix = "monitor-" + position.position().replace('/', '-');
        this.cycles = new ScheduledThreadPoolExecutor(1, task -> daemon(task, prefix + "-cycle"));
        AtomicInteger count = new AtomicInteger();
        this.polls = Executors.newFixedThreadPool(4, task -> daemon(task, prefix + "-poll-" + count.incrementAndGet()));
        for (String child : position.children()) {
            children.put(child, new ChildTrack(child, position.level() == ClusterPlan.Level.LOCAL, clock.instant()));
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The store scope of a monitor position. */
    public static String scope(String position) {
        return "monitor/" + position;
    }

    /**
     * Starts the monitor of {@code position} on {@code node}: takes the position's fence (its election value),
     * recovers the predecessor's checkpoint, opens the endpoint and begins polling, passive for the first cycle.
     *
     * @param onSuicide run once when this monitor finds it is a duplicate or was superseded; the process should exit
     */
    public static Monitor start(ClusterPlan plan, String position, String node, InetSocketAddress bind,
            CoordinatorStore store, RequestSigner signer, Launcher launcher, Clock clock, Runnable onSuicide)
            throws IOException, StoreException {
        Monitor monitor = new Monitor(plan, plan.monitor(position), node, store, signer, launcher, clock, onSuicide);
        try {
            monitor.begin(bind, signer);
            return monitor;
        } catch (IOException | StoreException | RuntimeException e) {
            monitor.close();
            throw e;
        }
    }

    private void begin(InetSocketAddress bind, RequestSigner signer) throws IOException, StoreException {
        server = ClusterServer.start("monitor-" + position.position().replace('/', '-'), bind, signer,
                new ClusterServer.Routes()
                        .on(ClusterRoutes.MONITOR_POLL, this::poll)
                        .on(ClusterRoutes.MONITOR_STATUS, (NoBody none) -> report(election == null
                                ? ElectionValue.NONE : election))
                        .on(ClusterRoutes.OPERATOR_STOP_JOB, r -> operator(r.name(), true, held))
                        .on(ClusterRoutes.OPERATOR_START_JOB, r -> operator(r.name(), false, held))
                        .on(ClusterRoutes.OPERATOR_DRAIN, r -> operator(r.node(), true, drained))
                        .on(ClusterRoutes.OPERATOR_UNDRAIN, r -> operator(r.node(), false, drained)));
        watch = new WatchSocket(bind.getAddress(), "monitor-" + position.position().replace('/', '-'));
        fence = store.acquire(scope(position.position()), "monitor " + position.position() + " on " + node + " pid "
                + ProcessHandle.current().pid());
        election = new ElectionValue(fence.epoch(), instanceId);
        recover();
        InetSocketAddress address = server.address();
        store.put(fence, "endpoint", Json.write(new MonitorEndpoint(address.getAddress().getHostAddress(),
                address.getPort(), ProcessHandle.current().pid(), node, watch.port())));
        state.set(MonitorState.PASSIVE);
        LOG.log(Level.INFO, "monitor {0}: PASSIVE on node {1} at {2} (epoch {3}), {4} children", position.position(),
                node, address, fence.epoch(), children.size());
        cycles.scheduleWithFixedDelay(this::cycle, 0, plan.pollIntervalMs(), TimeUnit.MILLISECONDS);
    }

    private void recover() throws StoreException {
        Optional<byte[]> saved = store.get(scope(position.position()), "checkpoint");
        if (saved.isEmpty()) {
            return;
        }
        MonitorCheckpoint checkpoint;
        try {
            checkpoint = Json.read(saved.get(), MonitorCheckpoint.class);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "monitor {0}: unreadable checkpoint ignored: {1}", position.position(),
                    e.getMessage());
            return;
        }
        placements.putAll(checkpoint.placements());
        held.addAll(checkpoint.operator().heldJobs());
        drained.addAll(checkpoint.operator().drainedNodes());
        operatorReport = new OperatorIntent(List.copyOf(held), List.copyOf(drained));
        checkpoint.excluded().forEach((job, nodes) -> excluded.put(job, new HashSet<>(nodes)));
        jobStatistics.putAll(checkpoint.jobStatistics());
        checkpoint.childStatistics().forEach((name, stats) -> {
            ChildTrack child = children.get(name);
            if (child != null) {
                child.statistics = stats;
            }
        });
        LOG.log(Level.INFO, "monitor {0}: recovered the checkpoint of {1} ({2} placements)", position.position(),
                checkpoint.at(), placements.size());
    }

    public MonitorState state() {
        return state.get();
    }

    public String position() {
        return position.position();
    }

    public ElectionValue election() {
        return election;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** When this monitor's parent last polled it. */
    public Optional<Instant> lastPolledBy(String parentPosition) {
        return Optional.ofNullable(lastPolled.get(parentPosition));
    }

    /** The death-watch endpoint ({@code host:port}) of the best monitor that polled this one from {@code position}. */
    public Optional<String> parentLink(String parentPosition) {
        return Optional.ofNullable(bestEndpoint.get(parentPosition));
    }

    private MonitorReply poll(Poll poll) {
        ElectionValue kept = best.merge(poll.position(), poll.election(), ElectionValue::best);
        if (kept.equals(poll.election()) && !poll.endpoint().isEmpty()) {
            bestEndpoint.put(poll.position(), poll.endpoint());
        }
        lastPolled.put(poll.position(), clock.instant());
        return report(kept);
    }

    private MonitorReply report(ElectionValue kept) {
        return new MonitorReply(position.position(), instanceId, ProcessHandle.current().pid(), state.get(), kept,
                childReport, operatorReport);
    }

    /**
     * Records an operator's wish (hold or release a job, drain or undrain a node) on the cycle thread and checkpoints
     * it at once; the next active cycle acts on it.
     */
    private OperatorIntent operator(String name, boolean add, Set<String> intents) throws Exception {
        boolean job = intents == held;
        if (position.level() != ClusterPlan.Level.LOCAL) {
            throw new ClusterRefusal(409, position.position() + " places no jobs: ask its local coordinators");
        }
        boolean known = job ? desiredJobNames().contains(name) : children.containsKey(name);
        if (!known) {
            throw new ClusterRefusal(404, "no " + (job ? "job " : "node ") + name + " under "
                    + position.position());
        }
        if (state.get() != MonitorState.PASSIVE && state.get() != MonitorState.ACTIVE) {
            throw new ClusterRefusal(503, position.position() + " is " + state.get());
        }
        try {
            return cycles.submit(() -> {
                if (add ? intents.add(name) : intents.remove(name)) {
                    LOG.log(Level.INFO, "monitor {0}: operator {1} {2}", position.position(),
                            job ? (add ? "stops job" : "starts job") : (add ? "drains node" : "undrains node"), name);
                }
                operatorReport = new OperatorIntent(List.copyOf(held), List.copyOf(drained));
                checkpoint();
                return operatorReport;
            }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StaleEpochException stale) {
                suicide("the store rejected its write: " + stale.getMessage());
                throw new ClusterRefusal(503, position.position() + " was superseded; retry");
            }
            throw e;
        }
    }

    private Set<String> desiredJobNames() {
        Set<String> names = new HashSet<>();
        for (Application app : plan.applicationsOf(position.position())) {
            for (int i = 1; i <= app.count(); i++) {
                names.add(spec(app, i).name());
            }
        }
        return names;
    }

    // ---- the poll cycle, on the cycle thread ----

    private void cycle() {
        if (state.get() != MonitorState.PASSIVE && state.get() != MonitorState.ACTIVE) {
            return;
        }
        try {
            pollChildren();
            if (state.get() != MonitorState.PASSIVE && state.get() != MonitorState.ACTIVE) {
                return;
            }
            completedCycles++;
            boolean everyChildKnown = children.values().stream()
                    .allMatch(c -> c.state == ChildState.UP || c.state == ChildState.DOWN);
            if (everyChildKnown && state.compareAndSet(MonitorState.PASSIVE, MonitorState.ACTIVE)) {
                LOG.log(Level.INFO, "monitor {0}: ACTIVE after {1} poll cycle(s), every child answered or is dead"
                        + " (epoch {2})", position.position(), completedCycles, fence.epoch());
            }
            if (state.get() == MonitorState.ACTIVE) {
                restartDeadChildren();
                if (position.level() == ClusterPlan.Level.LOCAL) {
                    reconcileJobs();
                }
            }
            publish();
            checkpoint();
        } catch (StaleEpochException e) {
            suicide("the store rejected its write: " + e.getMessage());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "monitor " + position.position() + ": poll cycle failed", e);
        }
    }

    private void pollChildren() throws StoreException, InterruptedException {
        Poll poll = new Poll(position.position(), election, server.address().getAddress().getHostAddress() + ":"
                + watch.port());
        Map<ChildTrack, Future<Answer>> calls = new LinkedHashMap<>();
        for (ChildTrack child : children.values()) {
            InetSocketAddress endpoint = endpointOf(child);
            child.endpoint = endpoint == null ? null : endpoint.getHostString() + ":" + endpoint.getPort();
            if (endpoint == null) {
                calls.put(child, null);
                continue;
            }
            calls.put(child, polls.submit(() -> child.agent
                    ? Answer.of(client.call(endpoint, ClusterRoutes.AGENT_POLL, poll, pollTimeout()))
                    : Answer.of(client.call(endpoint, ClusterRoutes.MONITOR_POLL, poll, pollTimeout()))));
        }
        Instant now = clock.instant();
        for (Map.Entry<ChildTrack, Future<Answer>> call : calls.entrySet()) {
            ChildTrack child = call.getKey();
            try {
                if (call.getValue() == null) {
                    child.missed(true, now); // no monitor of that position ever recorded an endpoint
                    continue;
                }
                Answer reply = call.getValue().get(pollTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
                if (reply.best().betterThan(election)) {
                    suicide("child " + child.name + " has seen a better election value " + reply.best()
                            + " than this monitor's " + election);
                    return;
                }
                child.answered(reply, now);
            } catch (java.util.concurrent.ExecutionException e) {
                child.missed(e.getCause() instanceof ConnectException, now);
            } catch (java.util.concurrent.TimeoutException e) {
                call.getValue().cancel(true);
                child.missed(false, now);
            }
        }
    }

    private InetSocketAddress endpointOf(ChildTrack child) throws StoreException {
        if (child.agent) {
            return plan.agentEndpoint(child.name);
        }
        Optional<byte[]> endpoint = store.get(scope(child.name), "endpoint");
        if (endpoint.isEmpty()) {
            return null;
        }
        return Json.read(endpoint.get(), MonitorEndpoint.class).socketAddress();
    }

    private void restartDeadChildren() {
        Instant now = clock.instant();
        Duration grace = restartGrace();
        for (ChildTrack child : children.values()) {
            if (child.state != ChildState.DOWN
                    || (child.restartedAt != null && Duration.between(child.restartedAt, now).compareTo(grace) < 0)) {
                continue;
            }
            try {
                long pid;
                if (child.agent) {
                    pid = launcher.launchAgent(child.name);
                } else {
                    String where = chooseNodeFor(plan.monitor(child.name));
                    pid = launcher.launchMonitor(child.name, where);
                }
                child.restartedAt = now;
                child.statistics = child.statistics.plusRestart();
                LOG.log(Level.INFO, "monitor {0}: restarted dead child {1} (pid {2})", position.position(),
                        child.name, pid);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "monitor {0}: could not restart child {1}: {2}", position.position(),
                        child.name, e.toString());
            }
        }
    }

    /** How long a child may take to answer a poll: two intervals, at least a second (a cold JVM's first reply). */
    private Duration pollTimeout() {
        return Duration.ofMillis(Math.max(1_000, plan.pollIntervalMs() * 2));
    }

    /** How long a restarted child gets to answer before it is restarted again. */
    private Duration restartGrace() {
        return Duration.ofMillis(Math.max(5_000, plan.pollIntervalMs() * 5));
    }

    private String chooseNodeFor(MonitorPosition child) {
        List<String> candidates = plan.candidateNodes(child);
        // prefer nodes whose agent answers (a local monitor knows; above that, any candidate)
        List<String> alive = candidates.stream().filter(n -> {
            ChildTrack agent = children.get(n);
            return agent == null || agent.state == ChildState.UP;
        }).toList();
        List<String> pool = alive.isEmpty() ? candidates : alive;
        return pool.get(random.nextInt(pool.size()));
    }

    // ---- placement (local level) ----

    private void reconcileJobs() {
        Map<String, List<JobStatus>> reported = new HashMap<>();
        Map<String, Placement.NodeLoad> loads = new TreeMap<>();
        Map<String, Application> owners = new HashMap<>();
        for (ChildTrack agent : children.values()) {
            boolean alive = agent.state == ChildState.UP;
            List<JobStatus> jobs = alive ? agent.jobs : List.of();
            Set<String> parties = new HashSet<>();
            int live = 0;
            for (JobStatus job : jobs) {
                reported.computeIfAbsent(job.name(), k -> new ArrayList<>()).add(job);
                if (!job.failedOut()) {
                    live++;
                    applicationOf(job.name()).ifPresent(app -> parties.add(Placement.party(app)));
                }
            }
            // a drained node takes nothing new
            loads.put(agent.name, new Placement.NodeLoad(agent.name, alive && !drained.contains(agent.name), live,
                    parties));
        }
        Map<String, JobSpec> desired = new LinkedHashMap<>();
        for (Application app : plan.applicationsOf(position.position())) {
            for (int i = 1; i <= app.count(); i++) {
                JobSpec spec = spec(app, i);
                desired.put(spec.name(), spec);
                owners.put(spec.name(), app);
            }
        }
        for (Map.Entry<String, JobSpec> entry : desired.entrySet()) {
            reconcile(entry.getValue(), owners.get(entry.getKey()), reported.getOrDefault(entry.getKey(), List.of()),
                    loads);
        }
        for (Map.Entry<String, List<JobStatus>> entry : reported.entrySet()) {
            if (!desired.containsKey(entry.getKey())) {
                for (JobStatus stray : entry.getValue()) {
                    callAgent(stray.node(), ClusterRoutes.JOB_STOP, new JobName(stray.name()), "stop undesired job");
                }
                placements.remove(entry.getKey());
            }
        }
    }

    private void reconcile(JobSpec spec, Application app, List<JobStatus> reports,
            Map<String, Placement.NodeLoad> loads) {
        String name = spec.name();
        for (JobStatus failed : reports) {
            if (failed.failedOut()) {
                excluded.computeIfAbsent(name, k -> new HashSet<>()).add(failed.node());
                jobStatistics.merge(name, failed.statistics(), (a, b) -> b);
                LOG.log(Level.WARNING, "monitor {0}: job {1} failed out of node {2}: moving it", position.position(),
                        name, failed.node());
                callAgent(failed.node(), ClusterRoutes.JOB_FORGET, new JobName(name), "forget failed-out job");
                if (failed.node().equals(placements.get(name))) {
                    placements.remove(name);
                }
            }
        }
        List<JobStatus> live = reports.stream().filter(j -> !j.failedOut()).toList();
        live.forEach(j -> jobStatistics.put(name, j.statistics()));
        if (held.contains(name)) {
            for (JobStatus running : live) {
                if (running.state() != JobState.WANTSTOP) {
                    callAgent(running.node(), ClusterRoutes.JOB_STOP, new JobName(name), "stop held job");
                }
            }
            return;
        }
        boolean onlyOnDrained = !live.isEmpty() && live.stream().allMatch(j -> drained.contains(j.node()));
        if (live.size() > 1) {
            String keep = live.stream().map(JobStatus::node).filter(n -> n.equals(placements.get(name))
                    && !drained.contains(n)).findFirst().orElse(live.stream().map(JobStatus::node)
                    .filter(n -> !drained.contains(n)).findFirst().orElse(live.get(0).node()));
            for (JobStatus duplicate : live) {
                if (!duplicate.node().equals(keep)) {
                    LOG.log(Level.WARNING, "monitor {0}: job {1} runs on {2} and {3}: stopping it on {3}",
                            position.position(), name, keep, duplicate.node());
                    callAgent(duplicate.node(), ClusterRoutes.JOB_STOP, new JobName(name), "stop duplicate");
                }
            }
            placements.put(name, keep);
            return;
        }
        if (live.size() == 1 && !onlyOnDrained) {
            placements.put(name, live.get(0).node());
            return;
        }
        String placed = placements.get(name);
        if (placed != null && !onlyOnDrained && !drained.contains(placed)) {
            ChildTrack agent = children.get(placed);
            boolean excludedThere = excluded.getOrDefault(name, Set.of()).contains(placed);
            if (agent != null && agent.state != ChildState.UP && !excludedThere && !nodeGivenUp(agent)) {
                return; // its node's agent is being restarted: it will re-adopt or restart the job
            }
        }
        Set<String> avoid = new HashSet<>(excluded.getOrDefault(name, Set.of()));
        Optional<String> target = Placement.choose(app, loads.values(), avoid);
        if (target.isEmpty() && !avoid.isEmpty()) {
            // every allowed node failed it once: forget those failures and try them again
            excluded.remove(name);
            target = Placement.choose(app, loads.values(), Set.of());
        }
        if (target.isEmpty()) {
            LOG.log(Level.WARNING, "monitor {0}: no node can take job {1} now", position.position(), name);
            return;
        }
        String chosen = target.get();
        if (callAgent(chosen, ClusterRoutes.JOB_START, spec, "start job")) {
            placements.put(name, chosen);
            Placement.NodeLoad load = loads.get(chosen);
            Set<String> parties = new HashSet<>(load.parties());
            parties.add(Placement.party(app));
            loads.put(chosen, new Placement.NodeLoad(chosen, true, load.jobs() + 1, parties));
            LOG.log(Level.INFO, "monitor {0}: placed job {1} on node {2}", position.position(), name, chosen);
        }
    }

    /** A node whose agent stayed dead through several restart attempts: its jobs move. */
    private boolean nodeGivenUp(ChildTrack agent) {
        return agent.downSince != null
                && Duration.between(agent.downSince, clock.instant()).compareTo(restartGrace().multipliedBy(2)) > 0;
    }

    private Optional<Application> applicationOf(String jobName) {
        String app = jobName.substring(0, jobName.indexOf('/'));
        return plan.applicationsOf(position.position()).stream().filter(a -> a.name().equals(app)).findFirst();
    }

    static JobSpec spec(Application app, int member) {
        int port = app.port(member);
        List<String> command = app.command().stream().map(part -> part.replace("{port}", String.valueOf(port))
                .replace("{member}", String.valueOf(member))).toList();
        return new JobSpec(app.name() + "/" + app.member() + "-" + member, command, app.environment(), port);
    }

    private <Q> boolean callAgent(String agentNode, Route<Q, ?> route, Q request, String what) {
        try {
            client.call(plan.agentEndpoint(agentNode), route, request, plan.pollInterval().multipliedBy(5));
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "monitor {0}: {1} on node {2} failed: {3}", position.position(), what, agentNode,
                    e.getMessage());
            return false;
        }
    }

    // ---- report, checkpoint, suicide ----

    private void publish() {
        List<ChildStatus> statuses = new ArrayList<>();
        Instant now = clock.instant();
        for (ChildTrack child : children.values()) {
            child.account(now);
            statuses.add(new ChildStatus(child.name, child.agent ? "agent" : plan.monitor(child.name).level().key(),
                    child.state, child.endpoint, child.pid, child.instanceId, child.lastSeen, child.statistics));
        }
        childReport = List.copyOf(statuses);
    }

    private void checkpoint() throws StoreException {
        Map<String, List<String>> excludedLists = new TreeMap<>();
        excluded.forEach((job, nodes) -> excludedLists.put(job, List.copyOf(new java.util.TreeSet<>(nodes))));
        Map<String, JobStatistics> childStats = new TreeMap<>();
        children.values().forEach(c -> childStats.put(c.name, c.statistics));
        store.put(fence, "checkpoint", Json.write(new MonitorCheckpoint(placements, excludedLists, childStats,
                jobStatistics, new OperatorIntent(List.copyOf(held), List.copyOf(drained)), clock.instant())));
    }

    private void suicide(String reason) {
        MonitorState previous = state.getAndUpdate(s -> s == MonitorState.CLOSED ? s : MonitorState.SUICIDED);
        if (previous == MonitorState.SUICIDED || previous == MonitorState.CLOSED) {
            return;
        }
        LOG.log(Level.WARNING, "monitor {0}: SUICIDE (epoch {1}): {2}", position.position(),
                fence == null ? 0 : fence.epoch(), reason);
        closeResources(WatchSocket.SUPERSEDED);
        onSuicide.run();
    }

    @Override
    public void close() {
        MonitorState previous = state.getAndSet(MonitorState.CLOSED);
        if (previous != MonitorState.CLOSED && previous != MonitorState.SUICIDED) {
            closeResources(WatchSocket.STOPPING);
            LOG.log(Level.INFO, "monitor {0}: CLOSED", position.position());
        }
    }

    private void closeResources(int farewell) {
        cycles.shutdownNow();
        polls.shutdownNow();
        if (watch != null) {
            watch.close(farewell);
        }
        if (server != null) {
            server.close();
        }
    }

    /** What the monitor knows of one child. Touched only by the cycle thread. */
    private static final class ChildTrack {
        final String name;
        final boolean agent;
        String endpoint;
        ChildState state = ChildState.UNKNOWN;
        int missed;
        String instanceId;
        long pid;
        Instant lastSeen;
        Instant downSince;
        Instant restartedAt;
        Instant accountedAt;
        List<JobStatus> jobs = List.of();
        JobStatistics statistics = JobStatistics.NONE;

        ChildTrack(String name, boolean agent, Instant now) {
            this.name = name;
            this.agent = agent;
            this.accountedAt = now;
        }

        void answered(Answer reply, Instant now) {
            account(now);
            if (instanceId != null && !instanceId.equals(reply.instanceId())) {
                LOG.log(Level.INFO, "child {0}: a new instance answers (pid {1})", name, reply.pid());
            }
            if (state != ChildState.UP) {
                LOG.log(Level.INFO, "child {0}: UP (pid {1})", name, reply.pid());
            }
            this.jobs = reply.jobs();
            this.instanceId = reply.instanceId();
            this.pid = reply.pid();
            this.state = ChildState.UP;
            this.missed = 0;
            this.lastSeen = now;
            this.downSince = null;
        }

        void missed(boolean refused, Instant now) {
            account(now);
            missed++;
            ChildState next = refused || missed >= MISSED_POLLS_DEAD ? ChildState.DOWN : ChildState.MISSING;
            if (next == ChildState.DOWN && state == ChildState.UP) {
                statistics = statistics.plusFailure();
            }
            if (next != state) {
                LOG.log(Level.INFO, "child {0}: {1} ({2} polls missed{3})", name, next, missed,
                        refused ? ", connection refused" : "");
            }
            if (next == ChildState.DOWN && downSince == null) {
                downSince = now;
            }
            state = next;
        }

        void account(Instant now) {
            long millis = Duration.between(accountedAt, now).toMillis();
            statistics = state == ChildState.UP ? statistics.plusUp(millis)
                    : state == ChildState.UNKNOWN ? statistics : statistics.plusDown(millis);
            accountedAt = now;
        }
    }

    /** What a child's poll reply tells its monitor, whichever kind of child it is. */
    private record Answer(String instanceId, long pid, ElectionValue best, List<JobStatus> jobs) {
        static Answer of(AgentReply reply) {
            return new Answer(reply.instanceId(), reply.pid(), reply.best(), reply.jobs());
        }

        static Answer of(MonitorReply reply) {
            return new Answer(reply.instanceId(), reply.pid(), reply.best(), List.of());
        }
    }
}
