package io.hostpub.coordinator.agent;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.poll.AgentReply.AgentState;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.wire.ClusterServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The host agent of one node (seed FIG. 10, LIST_6/7): starts, stops and watches the node's jobs and answers its
 * coordinator's polls.
 *
 * <ul>
 *   <li>A job's death is seen at once: the agent's children are watched with {@link Process#onExit()}, completed by
 *       the JDK's reaper the moment the kernel reports the exit.</li>
 *   <li>A dead job is restarted on this node after its {@link io.hostpub.coordinator.job.RestartPolicy back-off};
 *       past the restart intensity it is reported failed ({@link JobStatus#failedOut()}) so the coordinator places it
 *       on another node.</li>
 *   <li>Jobs outlive their agent. Every job's pid and process start time are in the store (scope
 *       {@code agent/<node>}, written under this agent's fence), so the next agent re-adopts running jobs and restarts
 *       only dead ones: no job runs twice. An agent whose store write is rejected was superseded and stops.</li>
 *   <li>Polls carry the poller's {@link ElectionValue}; the agent keeps the best per position and returns it.</li>
 * </ul>
 *
 * All job state lives on one event thread ({@code agent-<node>-events}); the HTTP handlers queue work onto it.
 */
public final class HostAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HostAgent.class.getName());
    private static final String SCOPE_PREFIX = "agent/";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Told of every job process start and death, on the agent's event thread (keep it short). */
    public interface JobListener {
        JobListener NONE = new JobListener() { };

        default void started(String job, long pid) {
        }

        default void died(String job, long pid, Integer exitCode) {
        }
    }

    private final AgentSettings settings;
    private final CoordinatorStore store;
    private final Clock clock;
    private final String instanceId = UUID.randomUUID().toString();
    private final ScheduledExecutorService events;
    private final Map<String, SupervisedJob> jobs = new HashMap<>();
    private final Map<String, ElectionValue> best = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastPolled = new ConcurrentHashMap<>();
    private final Map<String, String> bestEndpoint = new ConcurrentHashMap<>();
    private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.NEW);
    private final Runnable onSuperseded;
    private final JobListener listener;
    private volatile Fence fence;
    private ClusterServer server;

    private HostAgent(AgentSettings settings, CoordinatorStore store, Clock clock, Runnable onSuperseded,
            JobListener listener) {
        this.listener = listener;
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.onSuperseded = onSuperseded;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "agent-" + settings.node() + "-events");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.events = executor;
    }

    /**
     * Starts the agent: takes the node's fence (superseding any earlier agent of the node), re-adopts or restarts the
     * jobs its predecessor recorded, and opens the endpoint.
     *
     * @param onSuperseded run (once) when another agent of the node took over; the process should exit
     */
    public static HostAgent start(AgentSettings settings, CoordinatorStore store, RequestSigner signer, Clock clock,
            Runnable onSuperseded) throws IOException, StoreException {
        return start(settings, store, signer, clock, onSuperseded, JobListener.NONE);
    }

    /** As {@link #start(AgentSettings, CoordinatorStore, RequestSigner, Clock, Runnable)}, telling {@code listener}. */
    public static HostAgent start(AgentSettings settings, CoordinatorStore store, RequestSigner signer, Clock clock,
            Runnable onSuperseded, JobListener listener) throws IOException, StoreException {
        return start(settings, store, signer, clock, onSuperseded, listener, new ClusterServer.Routes());
    }

    /**
     * As {@link #start(AgentSettings, CoordinatorStore, RequestSigner, Clock, Runnable, JobListener)}, also serving
     * {@code more} (the cluster-wide routes a {@link NodeAgent} answers for the WAR and {@code hpctl}).
     */
    public static HostAgent start(AgentSettings settings, CoordinatorStore store, RequestSigner signer, Clock clock,
            Runnable onSuperseded, JobListener listener, ClusterServer.Routes more) throws IOException,
            StoreException {
        HostAgent agent = new HostAgent(settings, store, clock, onSuperseded, listener);
        try {
            agent.begin(signer, more);
            return agent;
        } catch (IOException | StoreException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void begin(RequestSigner signer, ClusterServer.Routes routes) throws IOException, StoreException {
        Files.createDirectories(settings.workDir().resolve("logs"));
        // listen first: if another agent of this node runs, the bind fails here, before this one takes the node's
        // fence (which would supersede the running agent); job commands are refused until the agent is RUNNING
        server = ClusterServer.start("agent-" + settings.node(), settings.bind(), signer, routes
                .on(ClusterRoutes.AGENT_POLL, this::poll)
                .on(ClusterRoutes.AGENT_STATUS, (NoBody none) -> status())
                .on(ClusterRoutes.JOB_START, this::startJob)
                .on(ClusterRoutes.JOB_STOP, name -> stopJob(name.name()))
                .on(ClusterRoutes.JOB_FORGET, name -> forgetJob(name.name())));
        fence = store.acquire(scope(), "agent " + settings.node() + " pid " + ProcessHandle.current().pid());
        Map<String, byte[]> recorded = store.list(scope());
        adopt(recorded);
        state.set(AgentState.RUNNING);
        LOG.log(Level.INFO, "agent {0}: running at {1} (epoch {2}, {3} jobs adopted or restarted)", settings.node(),
                server.address(), fence.epoch(), recorded.size());
    }

    /** Re-adopts or restarts, on the event thread, the jobs the node's previous agent recorded. */
    private void adopt(Map<String, byte[]> recorded) throws IOException, StoreException {
        try {
            call(() -> {
                for (Map.Entry<String, byte[]> entry : recorded.entrySet()) {
                    JobRecord record;
                    try {
                        record = Json.read(entry.getValue(), JobRecord.class);
                    } catch (IllegalArgumentException e) {
                        LOG.log(Level.WARNING, "agent {0}: ignoring unreadable job record {1}: {2}", settings.node(),
                                entry.getKey(), e.getMessage());
                        continue;
                    }
                    adoptOrRestart(record);
                }
                return null;
            });
        } catch (IOException | StoreException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("agent " + settings.node() + ": adopting jobs failed: " + e, e);
        }
    }

    public String node() {
        return settings.node();
    }

    public AgentState state() {
        return state.get();
    }

    public java.net.InetSocketAddress address() {
        return server.address();
    }

    /** When a monitor at {@code position} last polled this agent (empty: never). */
    public Optional<Instant> lastPolled(String position) {
        return Optional.ofNullable(lastPolled.get(position));
    }

    /** The death-watch endpoint ({@code host:port}) of the best monitor that polled from {@code position}. */
    public Optional<String> parentLink(String position) {
        return Optional.ofNullable(bestEndpoint.get(position));
    }

    /** The best election value seen for {@code position}. */
    public ElectionValue best(String position) {
        return best.getOrDefault(position, ElectionValue.NONE);
    }

    /** Answers a poll: keeps the better election value, reports the jobs. */
    public AgentReply poll(Poll poll) throws Exception {
        ElectionValue kept = best.merge(poll.position(), poll.election(), ElectionValue::best);
        if (kept.equals(poll.election()) && !poll.endpoint().isEmpty()) {
            bestEndpoint.put(poll.position(), poll.endpoint());
        }
        lastPolled.put(poll.position(), clock.instant());
        return new AgentReply(settings.node(), instanceId, ProcessHandle.current().pid(), state.get(), kept, jobs());
    }

    /** The agent's report without counting as a poll. */
    public AgentReply status() throws Exception {
        return new AgentReply(settings.node(), instanceId, ProcessHandle.current().pid(), state.get(),
                ElectionValue.NONE, jobs());
    }

    public List<JobStatus> jobs() throws Exception {
        return call(() -> {
            Instant now = clock.instant();
            List<JobStatus> statuses = new ArrayList<>();
            jobs.values().forEach(job -> statuses.add(job.status(settings.node(), now)));
            statuses.sort(java.util.Comparator.comparing(JobStatus::name));
            return statuses;
        });
    }

    /** Starts the job on this node (idempotent for the same spec; 409 if another spec runs under the name). */
    public JobStatus startJob(JobSpec spec) throws Exception {
        return call(() -> {
            checkRunning();
            return doStart(spec);
        });
    }

    /** Stops the job: SIGTERM, SIGKILL after the grace period; the job is removed once it ended. */
    public JobStatus stopJob(String name) throws Exception {
        return call(() -> {
            checkRunning();
            return doStop(name);
        });
    }

    /** Drops an idle job (one that failed out here and was placed elsewhere). */
    public JobStatus forgetJob(String name) throws Exception {
        return call(() -> {
            checkRunning();
            return doForget(name);
        });
    }

    private void checkRunning() throws ClusterRefusal {
        if (state.get() != AgentState.RUNNING) {
            throw new ClusterRefusal(503, "agent " + settings.node() + " is " + state.get());
        }
    }

    // ---- on the event thread ----

    private JobStatus doStart(JobSpec spec) throws StoreException, ClusterRefusal {
        Instant now = clock.instant();
        SupervisedJob job = jobs.get(spec.name());
        if (job != null && (job.state().isLive() || job.state() == JobState.WANTRUN)) {
            if (!job.spec().equals(spec)) {
                throw new ClusterRefusal(409, "job " + spec.name() + " already runs on " + settings.node()
                        + " with another command; stop it first");
            }
            return job.status(settings.node(), now); // idempotent: a repeated start changes nothing
        }
        if (job == null || job.state() != JobState.IDLE) {
            JobStatistics carried = job == null ? JobStatistics.NONE : job.statistics();
            job = new SupervisedJob(spec, settings.restartPolicy(), carried, now);
            jobs.put(spec.name(), job);
        }
        job.want(true, now);
        job.move(JobState.WANTRUN, now);
        launch(job);
        return job.status(settings.node(), clock.instant());
    }

    private JobStatus doStop(String name) throws ClusterRefusal, StoreException {
        SupervisedJob job = known(name);
        Instant now = clock.instant();
        job.want(false, now);
        job.cancelRestart();
        switch (job.state()) {
            case WANTRUN:
                job.move(JobState.IDLE, now);
                remove(job);
                break;
            case STARTING:
            case RUNNING:
                job.move(JobState.WANTSTOP, now);
                ProcessHandle process = job.process().orElseThrow();
                LOG.log(Level.INFO, "agent {0}: stopping job {1} (pid {2})", settings.node(), name, process.pid());
                process.destroy();
                events.schedule(() -> {
                    if (process.isAlive()) {
                        LOG.log(Level.WARNING, "agent {0}: job {1} (pid {2}) ignored SIGTERM for {3}: killed",
                                settings.node(), name, process.pid(), settings.stopGrace());
                        process.destroyForcibly();
                    }
                }, settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
                break;
            case IDLE:
                remove(job); // failed out or never started: nothing runs
                break;
            default:
                break; // already stopping
        }
        return job.status(settings.node(), now);
    }

    private JobStatus doForget(String name) throws ClusterRefusal, StoreException {
        SupervisedJob job = known(name);
        if (job.state() != JobState.IDLE || job.process().isPresent()) {
            throw new ClusterRefusal(409, "job " + name + " is " + job.state() + " on " + settings.node()
                    + "; only an idle job can be forgotten");
        }
        job.cancelRestart();
        remove(job);
        return job.status(settings.node(), clock.instant());
    }

    private SupervisedJob known(String name) throws ClusterRefusal {
        SupervisedJob job = jobs.get(name);
        if (job == null) {
            throw new ClusterRefusal(404, "no job " + name + " on node " + settings.node());
        }
        return job;
    }

    private void launch(SupervisedJob job) throws StoreException {
        Instant now = clock.instant();
        job.move(JobState.STARTING, now);
        JobSpec spec = job.spec();
        ProcessBuilder builder = new ProcessBuilder(spec.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(spec).toFile()));
        builder.environment().putAll(spec.environment());
        builder.environment().put("HOSTPUB_JOB", spec.name());
        builder.environment().put("HOSTPUB_NODE", settings.node());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "agent {0}: job {1} could not be started: {2}", settings.node(), spec.name(),
                    e.getMessage());
            job.move(JobState.IDLE, clock.instant());
            job.ended(null);
            afterFailure(job, Duration.ZERO);
            return;
        }
        ProcessHandle handle = process.toHandle();
        Instant processStart = handle.info().startInstant().orElse(now);
        job.started(handle, processStart);
        job.move(JobState.RUNNING, clock.instant());
        record(job);
        LOG.log(Level.INFO, "agent {0}: job {1} RUNNING (pid {2})", settings.node(), spec.name(), handle.pid());
        listener.started(spec.name(), handle.pid());
        process.onExit().thenAccept(p -> events.execute(() -> exited(job, handle, p.exitValue())));
    }

    private void adoptOrRestart(JobRecord record) throws StoreException {
        Instant now = clock.instant();
        SupervisedJob job = new SupervisedJob(record.spec(), settings.restartPolicy(), record.statistics(), now);
        jobs.put(record.spec().name(), job);
        job.want(true, now);
        job.move(JobState.WANTRUN, now);
        Optional<ProcessHandle> alive = record.pid() == 0 ? Optional.empty()
                : ProcessHandle.of(record.pid()).filter(ProcessHandle::isAlive)
                        .filter(h -> h.info().startInstant().map(s -> s.equals(record.processStart())).orElse(false));
        if (alive.isEmpty()) {
            LOG.log(Level.INFO, "agent {0}: job {1} (pid {2}) is gone: starting it", settings.node(),
                    record.spec().name(), record.pid());
            job.countRestart();
            launch(job);
            return;
        }
        ProcessHandle handle = alive.get();
        job.move(JobState.STARTING, now);
        job.started(handle, record.processStart());
        job.move(JobState.RUNNING, now);
        LOG.log(Level.INFO, "agent {0}: job {1} RUNNING, adopted (pid {2})", settings.node(), record.spec().name(),
                handle.pid());
        // not a child of this process: the JDK watches it by polling until it ends
        handle.onExit().thenAccept(h -> events.execute(() -> exited(job, handle, null)));
    }

    private void exited(SupervisedJob job, ProcessHandle handle, Integer exitCode) {
        if (job.process().map(p -> !p.equals(handle)).orElse(true) || state.get() == AgentState.CLOSED) {
            return; // an earlier process of the job, or the agent is closing
        }
        listener.died(job.spec().name(), handle.pid(), exitCode);
        Instant now = clock.instant();
        Duration ran = Duration.between(job.processStart(), now);
        job.ended(exitCode);
        try {
            if (job.state() == JobState.WANTSTOP) {
                job.move(JobState.STOPPED, now);
                job.move(JobState.IDLE, now);
                LOG.log(Level.INFO, "agent {0}: job {1} STOPPED (exit {2})", settings.node(), job.spec().name(),
                        exitCode);
                remove(job);
                return;
            }
            job.move(JobState.IDLE, now);
            LOG.log(Level.WARNING, "agent {0}: job {1} died (pid {2}, exit {3}, ran {4} ms)", settings.node(),
                    job.spec().name(), handle.pid(), exitCode, ran.toMillis());
            afterFailure(job, ran);
        } catch (StoreException e) {
            storeFailed(e);
        }
    }

    private void afterFailure(SupervisedJob job, Duration ran) throws StoreException {
        Optional<Duration> backoff = job.failed(clock.instant(), ran);
        if (backoff.isEmpty()) {
            LOG.log(Level.WARNING, "agent {0}: job {1} exceeded its restart intensity ({2} restarts in {3}):"
                    + " reported failed for placement elsewhere", settings.node(), job.spec().name(),
                    settings.restartPolicy().intensity(), settings.restartPolicy().period());
            record(job);
            return;
        }
        Instant now = clock.instant();
        job.move(JobState.WANTRUN, now);
        record(job);
        LOG.log(Level.INFO, "agent {0}: restarting job {1} in {2} ms (failure {3} in a row)", settings.node(),
                job.spec().name(), backoff.get().toMillis(), job.consecutiveFailures());
        job.scheduleRestart(events.schedule(() -> {
            if (job.state() == JobState.WANTRUN && job.wanted() && jobs.get(job.spec().name()) == job) {
                job.countRestart();
                try {
                    launch(job);
                } catch (StoreException e) {
                    storeFailed(e);
                }
            }
        }, backoff.get().toMillis(), TimeUnit.MILLISECONDS));
    }

    private void record(SupervisedJob job) throws StoreException {
        long pid = job.process().map(ProcessHandle::pid).orElse(0L);
        store.put(fence, key(job.spec().name()), Json.write(new JobRecord(job.spec(), pid, job.processStart(),
                job.statistics())));
    }

    private void remove(SupervisedJob job) throws StoreException {
        jobs.remove(job.spec().name(), job);
        store.delete(fence, key(job.spec().name()));
    }

    private void storeFailed(StoreException e) {
        if (e instanceof StaleEpochException && state.compareAndSet(AgentState.RUNNING, AgentState.SUPERSEDED)) {
            LOG.log(Level.WARNING, "agent {0}: superseded by a newer agent of the node ({1}); stopping without"
                    + " touching the jobs", settings.node(), e.getMessage());
            onSuperseded.run();
        } else {
            LOG.log(Level.ERROR, "agent {0}: store write failed: {1}", settings.node(), e.getMessage());
        }
    }

    private Path logFile(JobSpec spec) {
        return settings.workDir().resolve("logs").resolve(spec.name().replace('/', '_') + ".log");
    }

    private String scope() {
        return SCOPE_PREFIX + settings.node();
    }

    private static String key(String jobName) {
        return "jobs/" + jobName;
    }

    private <T> T call(Callable<T> work) throws Exception {
        try {
            return events.submit(() -> {
                try {
                    return work.call();
                } catch (StaleEpochException e) {
                    storeFailed(e);
                    throw e;
                }
            }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IOException("agent " + settings.node() + " busy for " + CALL_TIMEOUT, e);
        }
    }

    /** Stops the endpoint and the agent's threads; the jobs keep running (the next agent adopts them). */
    @Override
    public void close() {
        AgentState previous = state.getAndSet(AgentState.CLOSED);
        if (previous == AgentState.CLOSED) {
            return;
        }
        if (server != null) {
            server.close();
        }
        events.shutdownNow();
        LOG.log(Level.INFO, "agent {0}: closed", settings.node());
    }

    /** Stops every job (operator shutdown of the node), then closes. */
    public void stopAllJobsAndClose(Duration timeout) throws Exception {
        List<ProcessHandle> processes = call(() -> {
            List<ProcessHandle> running = new ArrayList<>();
            for (String name : List.copyOf(jobs.keySet())) {
                jobs.get(name).process().ifPresent(running::add);
                doStop(name);
            }
            return running;
        });
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
            }
        }
        close();
    }
}
