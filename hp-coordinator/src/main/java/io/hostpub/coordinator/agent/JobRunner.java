package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    JobRunner(AgentSettings settings, JobJournal journal, CheckpointDesk checkpoints, ScheduledExecutorService events,
            HostAgent.JobListener listener, Clock clock, BooleanSupplier closing, BooleanSupplier restartsHeld,
            Consumer<StoreException> storeFailed) {
        this.settings = settings;
        this.checkpoints = checkpoints;
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
        List<JobStatus> statuses = new ArrayList<>();
        jobs.values().forEach(job -> statuses.add(job.status(settings.node(), now)));
        statuses.sort(Comparator.comparing(JobStatus::name));
        return statuses;
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
            }
            case IDLE -> remove(job); // failed out or never started: nothing runs
            default -> {
                // already stopping
            }
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
        List<ProcessHandle> running = new ArrayList<>();
        for (String name : List.copyOf(jobs.keySet())) {
            jobs.get(name).process().ifPresent(running::add);
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

    private void launch(SupervisedJob job) throws StoreException {
        Instant now = clock.instant();
        job.move(JobState.STARTING, now);
        JobSpec spec = job.spec();
        Process process;
        try {
            job.instance(checkpoints.newInstance(spec.name()));
            process = JobProcess.start(settings, spec, job.instance(), checkpoints.endpoint());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "agent {0}: job {1} could not be started: {2}", settings.node(), spec.name(),
                    e.getMessage());
            job.move(JobState.IDLE, clock.instant());
            job.ended(null);
            afterFailure(job, Duration.ZERO);
            return;
        }
        ProcessHandle handle = process.toHandle();
        job.started(handle, handle.info().startInstant().orElse(now));
        job.move(JobState.RUNNING, clock.instant());
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
        job.scheduleRestart(events.schedule(() -> {
            if (job.state() == JobState.WANTRUN && job.wanted() && jobs.get(job.spec().name()) == job) {
                job.countRestart();
                try {
                    launch(job);
                } catch (StoreException e) {
                    storeFailed.accept(e);
                }
            }
        }, backoff.get().toMillis(), TimeUnit.MILLISECONDS));
    }

    private void remove(SupervisedJob job) throws StoreException {
        jobs.remove(job.spec().name(), job);
        journal.remove(job.spec().name());
    }
}
