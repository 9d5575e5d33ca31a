package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.api.poll.AgentReply.AgentState;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.monitor.ParentPolls;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.wire.ClusterServer;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host agent of one node (seed FIG. 10, LIST_6/7): its endpoint answers its coordinator's polls and job commands;
 * its {@link JobRunner} starts, stops and watches the node's jobs.
 *
 * <ul>
 *   <li>Jobs outlive their agent. Every job's pid and process start time are in the {@link JobJournal} (scope
 *       {@code agent/<node>}, written under this agent's fence), so the next agent re-adopts running jobs and restarts
 *       only dead ones: no job runs twice. An agent whose store write is rejected was superseded and stops.</li>
 *   <li>Polls carry the poller's {@link ElectionValue}; the agent keeps the best per position ({@link ParentPolls})
 *       and returns it.</li>
 * </ul>
 *
 * All job state lives on one event thread ({@code hostpub-agent-<node>-events-1}); the HTTP handlers queue work onto
 * it. Lifecycle: RUNNING once the endpoint listens, the fence is taken and the recorded jobs are adopted; SUPERSEDED
 * (as it reports itself) while running after another agent of the node took over; closing stops the endpoint and the
 * threads, never the jobs.
 */
public final class HostAgent extends LifeCycle<Exception> {

    private static final System.Logger LOG = System.getLogger(HostAgent.class.getName());
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
    private final ClusterWire wire;
    private final ClusterServer.Routes routes;
    private final String instanceId = UUID.randomUUID().toString();
    private final ScheduledThreadPoolExecutor events;
    private final JobJournal journal;
    private final JobRunner runner;
    private final CheckpointDesk checkpoints;
    private final ParentPolls parents;
    private final AtomicBoolean superseded = new AtomicBoolean();
    private final Runnable onSuperseded;
    private volatile String shutdownOrder; // set once a shutdown order covers the node: no job starts from then on
    private ClusterServer server;

    private HostAgent(AgentSettings settings, CoordinatorStore store, ClusterWire wire, Clock clock,
            Runnable onSuperseded, JobListener listener, ClusterServer.Routes routes, JobCommands commands) {
        super("agent " + settings.node());
        this.settings = settings;
        this.wire = wire;
        this.routes = routes;
        this.onSuperseded = onSuperseded;
        this.parents = new ParentPolls(clock);
        this.events = new ScheduledThreadPoolExecutor(1, new NamedThreads("agent-" + settings.node() + "-events"));
        this.events.setRemoveOnCancelPolicy(true);
        this.journal = new JobJournal(store, settings.node());
        this.checkpoints = new CheckpointDesk(settings.node(), store, clock, () -> server.address());
        this.runner = new JobRunner(settings, journal, checkpoints, commands, events, listener, clock, this::isStopped,
                () -> shutdownOrder != null, this::storeFailed);
    }

    /**
     * Starts the agent: takes the node's fence (superseding any earlier agent of the node), re-adopts or restarts the
     * jobs its predecessor recorded, and opens the endpoint.
     *
     * @param onSuperseded run (once) when another agent of the node took over; the process should exit
     */
    public static HostAgent start(AgentSettings settings, CoordinatorStore store, ClusterWire wire, Clock clock,
            Runnable onSuperseded) throws IOException, StoreException {
        return start(settings, store, wire, clock, onSuperseded, JobListener.NONE, new ClusterServer.Routes(),
                JobCommands.AS_GIVEN);
    }

    /**
     * As {@link #start(AgentSettings, CoordinatorStore, ClusterWire, Clock, Runnable)}, telling {@code listener} and
     * also serving {@code more} (the cluster-wide routes a {@link NodeAgent} answers for the WAR and {@code hpctl}) and
     * starting each job with the command {@code commands} gives it.
     */
    public static HostAgent start(AgentSettings settings, CoordinatorStore store, ClusterWire wire, Clock clock,
            Runnable onSuperseded, JobListener listener, ClusterServer.Routes more, JobCommands commands)
            throws IOException, StoreException {
        HostAgent agent = new HostAgent(settings, store, wire, clock, onSuperseded, listener, more, commands);
        try {
            agent.start();
        } catch (IOException | StoreException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(agent.component() + " failed to start: " + e, e);
        }
        return agent;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(settings.workDir().resolve("logs"));
        // listen first: if another agent of this node runs, the bind fails here, before this one takes the node's
        // fence (which would supersede the running agent); job commands are refused until the agent is RUNNING
        server = ClusterServer.start("agent-" + settings.node(), settings.bind(), wire, routes
                .on(ClusterRoutes.AGENT_POLL, this::poll)
                .on(ClusterRoutes.AGENT_STATUS, (NoBody none) -> status())
                .on(ClusterRoutes.JOB_START, spec -> command(() -> runner.start(spec)))
                .on(ClusterRoutes.JOB_STOP, name -> command(() -> runner.stop(name.name())))
                .on(ClusterRoutes.JOB_FORGET, name -> command(() -> runner.forget(name.name())))
                .on(ClusterRoutes.CHECKPOINT_SAVE, save -> call(() -> checkpoints.save(save, runner.job(save.job()))))
                .on(ClusterRoutes.CHECKPOINT_LATEST, query -> call(() -> checkpoints.latest(query,
                        runner.job(query.job())))));
        long epoch = journal.acquire();
        List<JobRecord> recorded = journal.recorded();
        call(() -> {
            for (JobRecord record : recorded) {
                runner.adoptOrRestart(record);
            }
            return null;
        });
        runner.health().start();
        LOG.log(Level.INFO, "agent {0}: running at {1} (epoch {2}, {3} jobs adopted or restarted)", settings.node(),
                server.address(), epoch, recorded.size());
    }

    public String node() {
        return settings.node();
    }

    /** As the agent reports itself: NEW while starting, RUNNING, SUPERSEDED, SHUTTING_DOWN, CLOSED. */
    public AgentState agentState() {
        return switch (state()) {
            case NEW, STARTING -> AgentState.NEW;
            case RUNNING -> superseded.get() ? AgentState.SUPERSEDED
                    : shutdownOrder != null ? AgentState.SHUTTING_DOWN : AgentState.RUNNING;
            default -> AgentState.CLOSED;
        };
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** What this agent remembers of its coordinators' polls. */
    public ParentPolls parents() {
        return parents;
    }

    /** Answers a poll: keeps the better election value, reports the jobs. */
    public AgentReply poll(Poll poll) throws Exception {
        ElectionValue kept = parents.polled(poll);
        return new AgentReply(settings.node(), instanceId, ProcessHandle.current().pid(), agentState(), kept, jobs(),
                call(runner::unrecorded));
    }

    /** The agent's report without counting as a poll. */
    public AgentReply status() throws Exception {
        return new AgentReply(settings.node(), instanceId, ProcessHandle.current().pid(), agentState(),
                ElectionValue.NONE, jobs(), call(runner::unrecorded));
    }

    public List<JobStatus> jobs() throws Exception {
        return call(runner::statuses);
    }

    /** Starts the job on this node (idempotent for the same spec; 409 if another spec runs under the name). */
    public JobStatus startJob(JobSpec spec) throws Exception {
        return command(() -> runner.start(spec));
    }

    /** Stops the job: SIGTERM, SIGKILL after the grace period; the job is removed once it ended. */
    public JobStatus stopJob(String name) throws Exception {
        return command(() -> runner.stop(name));
    }

    /** Drops an idle job (one that failed out here and was placed elsewhere). */
    public JobStatus forgetJob(String name) throws Exception {
        return command(() -> runner.forget(name));
    }

    /** A job command, refused (503) unless the agent runs and was not superseded. */
    private <T> T command(Callable<T> work) throws Exception {
        return call(() -> {
            if (agentState() != AgentState.RUNNING) {
                throw new ClusterRefusal(503, "agent " + settings.node() + " is " + agentState()
                        + (shutdownOrder == null ? "" : " (" + shutdownOrder + ")"));
            }
            return work.call();
        });
    }

    /** Runs {@code work} on the event thread and waits for it. */
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

    private void storeFailed(StoreException e) {
        if (e instanceof StaleEpochException && isRunning() && superseded.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "agent {0}: superseded by a newer agent of the node ({1}); stopping without"
                    + " touching the jobs", settings.node(), e.getMessage());
            onSuperseded.run();
        } else {
            LOG.log(Level.ERROR, "agent {0}: store write failed: {1}", settings.node(), e.getMessage());
        }
    }

    /** Stops the endpoint and the agent's threads; the jobs keep running (the next agent adopts them). */
    @Override
    protected void doStop() {
        runner.health().close();
        if (server != null) {
            server.close();
        }
        events.shutdownNow();
        LOG.log(Level.INFO, "agent {0}: closed", settings.node());
    }

    /**
     * Takes no job command and restarts no job from now on ({@code order} says why, in refusals): the first step of a
     * shutdown, before the jobs are stopped, so a coordinator that has not seen the order yet cannot start them again.
     */
    public void refuseJobsFor(String order) {
        shutdownOrder = order;
    }

    /** Stops every job (operator shutdown of the node), then closes. */
    public void stopAllJobsAndClose(Duration timeout) throws Exception {
        List<ProcessHandle> processes = call(runner::stopAll);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
            }
        }
        // each exit reaches the event thread a moment after the process ended; it removes the job's record, so the
        // node's next agent starts no job the operator stopped. Close once they are through (or after a second)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!call(runner::statuses).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        close();
    }
}
