package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The jobs of one node and their state machine (seed FIG. 10: IDLE, WANTRUN, STARTING, RUNNING, WANTSTOP, STOPPED):
 * starts, stops, forgets, re-adopts and restarts them, records each change in the {@link JobJournal}. A job's death is
 * seen at once ({@link Process#onExit()}, completed by the JDK's reaper when the kernel reports the exit) and restarted
 * after its {@link io.hostpub.coordinator.job.RestartPolicy back-off}; past the restart intensity it is reported
 * failed out, for its coordinator to place elsewhere. Every method runs on the agent's event thread.
 */
final class JobRunner {

    private static final System.Logger LOG = System.getLogger(JobRunner.class.getName());

    private final AgentSettings settings;
    private final JournalBacklog journal;
    private final ScheduledExecutorService events;
    private final HostAgent.JobListener listener;
    private final Clock clock;
    private final BooleanSupplier closing;
    private final BooleanSupplier restartsHeld;
    private final Consumer<StoreException> storeFailed;
    private final Map<String, SupervisedJob> jobs = new HashMap<>();
    private final JobHealth health;
    private final CheckpointDesk checkpoints;
    private final JobCommands commands;

    JobRunner(AgentSettings settings, JobJournal journal, CheckpointDesk checkpoints, JobCommands commands,
            ScheduledExecutorService events, HostAgent.JobListener listener, Clock clock, BooleanSupplier closing,
            BooleanSupplier restartsHeld, Consumer<StoreException> storeFailed) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.commands = commands;
        this.journal = new JournalBacklog(settings.node(), journal, events, storeFailed);
        this.health = new JobHealth(settings, events, jobs, this.journal, clock, storeFailed);
        this.events = events;
        this.listener = listener;
        this.clock = clock;
        this.closing = closing;
        this.restartsHeld = restartsHeld;
        this.storeFailed = storeFailed;
    }

    /** The job of that name on this node, if any. */
    Optional<SupervisedJob> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    /** The health looks at these jobs (the agent starts and closes them). */
    JobHealth health() {
        return health;
    }

    /** Job records the store has not taken yet (a full disk, a store that is down). */
    int unrecorded() {
        return journal.backlog();
    }

    List<JobStatus> statuses() {
        Instant now = clock.instant();
        return jobs.values().stream().map(job -> job.status(settings.node(), now))
                .sorted(Comparator.comparing(JobStatus::name)).toList();
    }

    JobStatus start(JobSpec spec) throws StoreException, ClusterRefusal {
        Instant now = clock.instant();
        SupervisedJob job = jobs.get(spec.name());
        if (job != null && (job.state().isLive() || job.state() == JobState.WANTRUN)) {
            if (!job.spec().equals(spec)) {
                throw new ClusterRefusal(409, "job " + spec.name() + " already runs on " + settings.node()
                        + " with another command; stop it first");
            }
            return job.status(settings.node(), now); // idempotent: a repeated start changes nothing
        }
        job = SupervisedJob.toStart(job, spec, settings.restartPolicy(), now);
        jobs.put(spec.name(), job);
        job.want(true, now);
        job.move(JobState.WANTRUN, now);
        launch(job);
        return job.status(settings.node(), clock.instant());
    }

    JobStatus stop(String name) throws ClusterRefusal, StoreException {
        SupervisedJob job = known(name);
        Instant now = clock.instant();
        job.want(false, now);
        job.cancelRestart();
        switch (job.state()) {
            case WANTRUN -> {
                job.move(JobState.IDLE, now);
                remove(job);
            }
            case STARTING, RUNNING -> {
                job.move(JobState.WANTSTOP, now);
                JobProcess.stop(settings, name, job.process().orElseThrow(), events);
            }
            case IDLE -> remove(job); // failed out or never started: nothing runs
            default -> { } // already stopping
        }
        return job.status(settings.node(), now);
    }

    JobStatus forget(String name) throws ClusterRefusal, StoreException {
        SupervisedJob job = known(name);
        if (job.state() != JobState.IDLE || job.process().isPresent()) {
            throw new ClusterRefusal(409, "job " + name + " is " + job.state() + " on " + settings.node()
                    + "; only an idle job can be forgotten");
        }
        job.cancelRestart();
        remove(job);
        return job.status(settings.node(), clock.instant());
    }

    /** Stops every job (operator shutdown of the node); returns their processes, to wait for. */
    List<ProcessHandle> stopAll() throws ClusterRefusal, StoreException {
        List<ProcessHandle> running = jobs.values().stream().flatMap(job -> job.process().stream()).toList();
        for (String name : List.copyOf(jobs.keySet())) {
            stop(name);
        }
        return running;
    }

    private SupervisedJob known(String name) throws ClusterRefusal {
        SupervisedJob job = jobs.get(name);
        if (job == null) {
            throw new ClusterRefusal(404, "no job " + name + " on node " + settings.node());
        }
        return job;
    }

    /** Re-adopts the recorded job if its very process still runs (same pid and start instant), else restarts it. */
    void adoptOrRestart(JobRecord record) throws StoreException {
        Instant now = clock.instant();
        SupervisedJob job = new SupervisedJob(record.spec(), settings.restartPolicy(), record.statistics(), now);
        job.restoreIncidents(record.incidents());
        job.instance(checkpoints.adopted(record.spec().name(), record.token()));
        jobs.put(record.spec().name(), job);
        job.want(true, now);
        job.move(JobState.WANTRUN, now);
        Optional<ProcessHandle> alive = JobProcess.stillRunning(record);
        if (alive.isEmpty()) {
            LOG.log(Level.INFO, "agent {0}: job {1} (pid {2}) is gone: starting it", settings.node(),
                    record.spec().name(), record.pid());
            job.countRestart();
            launch(job);
            return;
        }
        ProcessHandle handle = alive.get();
        job.move(JobState.STARTING, now);
        job.running(handle, record.processStart(), now);
        LOG.log(Level.INFO, "agent {0}: job {1} RUNNING, adopted (pid {2})", settings.node(), record.spec().name(),
                handle.pid());
        // not a child of this process: the JDK watches it by polling until it ends
        handle.onExit().thenAccept(h -> events.execute(() -> exited(job, handle, null)));
    }

    /** Starts the job's process, once its command can run here; until then the job waits WANTRUN. */
    private void launch(SupervisedJob job) throws StoreException {
        CompletableFuture<List<String>> command = commands.command(job.spec());
        if (command.isDone()) {
            launch(job, command);
            return;
        }
        LOG.log(Level.INFO, "agent {0}: job {1} waits for version {2} of its WAR to be brought here",
                settings.node(), job.spec().name(), job.spec().version());
        command.whenComplete((c, failure) -> events.execute(() -> ifStillWanted(job, () -> launch(job, command))));
    }

    private void launch(SupervisedJob job, CompletableFuture<List<String>> command) throws StoreException {
        Instant now = clock.instant();
        job.move(JobState.STARTING, now);
        JobSpec spec = job.spec();
        Process process;
        try {
            List<String> line = command.join();
            job.instance(checkpoints.newInstance(spec.name()));
            process = JobProcess.start(settings, spec, line, job.instance(), checkpoints.endpoint());
        } catch (IOException | CompletionException e) {
            LOG.log(Level.WARNING, "agent {0}: job {1} could not be started: {2}", settings.node(), spec.name(),
                    e instanceof CompletionException ? e.getCause().getMessage() : e.getMessage());
            job.move(JobState.IDLE, clock.instant());
            job.ended(null);
            afterFailure(job, Duration.ZERO);
            return;
        }
        ProcessHandle handle = process.toHandle();
        job.running(handle, handle.info().startInstant().orElse(now), clock.instant());
        try {
            journal.record(job);
        } catch (StaleEpochException superseded) {
            // a newer agent of the node took the fence and read the records before this one was written: it will
            // never know this process, so nobody would stop it (the job would run twice); the newer agent decides
            LOG.log(Level.WARNING, "agent {0}: job {1} (pid {2}) started as a newer agent took over the node:"
                    + " killing it, its start could not be recorded", settings.node(), spec.name(), handle.pid());
            job.ended(null);
            process.destroyForcibly();
            throw superseded;
        }
        LOG.log(Level.INFO, "agent {0}: job {1} RUNNING (pid {2})", settings.node(), spec.name(), handle.pid());
        listener.started(spec.name(), handle.pid());
        process.onExit().thenAccept(p -> events.execute(() -> exited(job, handle, p.exitValue())));
    }

    private void exited(SupervisedJob job, ProcessHandle handle, Integer exitCode) {
        if (job.process().map(p -> !p.equals(handle)).orElse(true) || closing.getAsBoolean()) {
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
            LOG.log(Level.WARNING, "agent {0}: job {1} {2} (pid {3}, exit {4}, ran {5} ms)", settings.node(),
                    job.spec().name(), job.killedAsHung(handle.pid()) ? "killed as hung" : "died", handle.pid(),
                    exitCode, ran.toMillis());
            afterFailure(job, ran);
        } catch (StoreException e) {
            storeFailed.accept(e);
        }
    }

    private void afterFailure(SupervisedJob job, Duration ran) throws StoreException {
        if (restartsHeld.getAsBoolean()) {
            LOG.log(Level.INFO, "agent {0}: job {1} not restarted: the node is shutting down", settings.node(),
                    job.spec().name());
            job.want(false, clock.instant());
            remove(job);
            return;
        }
        Optional<Duration> backoff = job.failed(clock.instant(), ran);
        if (backoff.isEmpty()) {
            LOG.log(Level.WARNING, "agent {0}: job {1} exceeded its restart intensity ({2} restarts in {3}):"
                    + " reported failed for placement elsewhere", settings.node(), job.spec().name(),
                    settings.restartPolicy().intensity(), settings.restartPolicy().period());
            journal.record(job);
            return;
        }
        job.move(JobState.WANTRUN, clock.instant());
        journal.record(job);
        LOG.log(Level.INFO, "agent {0}: restarting job {1} in {2} ms (failure {3} in a row)", settings.node(),
                job.spec().name(), backoff.get().toMillis(), job.consecutiveFailures());
        job.scheduleRestart(events.schedule(() -> ifStillWanted(job, () -> {
            job.countRestart();
            launch(job);
        }), backoff.get().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Does {@code launch} for a job still waiting to run (neither stopped nor replaced meanwhile). */
    private void ifStillWanted(SupervisedJob job, StoreAction launch) {
        if (job.state() == JobState.WANTRUN && job.wanted() && jobs.get(job.spec().name()) == job) {
            try {
                launch.run();
            } catch (StoreException e) {
                storeFailed.accept(e);
            }
        }
    }

    private interface StoreAction {
        void run() throws StoreException;
    }

    private void remove(SupervisedJob job) throws StoreException {
        jobs.remove(job.spec().name(), job);
        journal.remove(job.spec().name());
    }
}
