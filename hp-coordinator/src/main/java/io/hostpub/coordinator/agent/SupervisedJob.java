package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.JobIncident;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.job.RestartHistory;
import io.hostpub.coordinator.job.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One job on one node as its agent holds it: the state machine, the current process, restart history and
 * statistics. Confined to the agent's event thread; every state change goes through {@link #move}.
 */
final class SupervisedJob {

    private final JobSpec spec;
    private final RestartHistory history;
    private JobState state = JobState.IDLE;
    private ProcessHandle process;
    private Instant processStart;
    private Instant accountedAt;
    private JobStatistics statistics;
    private boolean wanted;
    private boolean failedOut;
    private Integer lastExit;
    private ScheduledFuture<?> pendingRestart;
    private CheckpointDesk.Instance instance; // the current (or last) process's checkpoint token and fence
    private Boolean healthy; // the current process's last health look; null before its first
    private long killedAsHung; // the pid this agent killed because it hung
    private final java.util.ArrayDeque<JobIncident> incidents = new java.util.ArrayDeque<>();
    static final int INCIDENTS_KEPT = 5;

    /**
     * The job to start for {@code spec}: {@code existing} when it is idle (its restart history goes on), else a new
     * one carrying the statistics of the one it replaces.
     */
    static SupervisedJob toStart(SupervisedJob existing, JobSpec spec, RestartPolicy policy, Instant now) {
        if (existing != null && existing.state() == JobState.IDLE) {
            return existing;
        }
        return new SupervisedJob(spec, policy, existing == null ? JobStatistics.NONE : existing.statistics(), now);
    }

    SupervisedJob(JobSpec spec, RestartPolicy policy, JobStatistics statistics, Instant now) {
        this.spec = spec;
        this.history = new RestartHistory(policy);
        this.statistics = statistics;
        this.accountedAt = now;
    }

    JobSpec spec() {
        return spec;
    }

    JobState state() {
        return state;
    }

    boolean wanted() {
        return wanted;
    }

    boolean failedOut() {
        return failedOut;
    }

    JobStatistics statistics() {
        return statistics;
    }

    Optional<ProcessHandle> process() {
        return Optional.ofNullable(process);
    }

    Instant processStart() {
        return processStart;
    }

    /** Moves the state machine (rejecting an illegal move), accounting up/down time up to {@code now}. */
    void move(JobState to, Instant now) {
        account(now);
        state = state.checkMove(to);
    }

    /**
     * Adds the time since the last accounting to up time (running and passing its health looks: serving, not merely
     * alive) or down time (wanted, and not up).
     */
    void account(Instant now) {
        long millis = Duration.between(accountedAt, now).toMillis();
        if (state == JobState.RUNNING && Boolean.TRUE.equals(healthy)) {
            statistics = statistics.plusUp(millis);
        } else if (wanted) {
            statistics = statistics.plusDown(millis);
        }
        accountedAt = now;
    }

    void want(boolean wanted, Instant now) {
        account(now);
        this.wanted = wanted;
        if (wanted) {
            failedOut = false;
        }
    }

    /** Its process started (or was adopted): STARTING -> RUNNING. */
    void running(ProcessHandle process, Instant processStart, Instant now) {
        this.process = process;
        this.processStart = processStart;
        this.healthy = null;
        move(JobState.RUNNING, now);
    }

    void instance(CheckpointDesk.Instance instance) {
        this.instance = instance;
    }

    CheckpointDesk.Instance instance() {
        return instance;
    }

    /** A health look at the current process: counts from now on. */
    void looked(boolean passed, Instant now) {
        account(now);
        healthy = passed;
    }

    /** The agent found the current process hung: keeps what it saw (the last few), marks the kill. */
    void hung(JobIncident incident, Instant now) {
        account(now);
        healthy = false;
        killedAsHung = incident.pid();
        incidents.addLast(incident);
        while (incidents.size() > INCIDENTS_KEPT) {
            incidents.removeFirst();
        }
    }

    /** Whether the process {@code pid} was killed by this agent as hung. */
    boolean killedAsHung(long pid) {
        return killedAsHung == pid;
    }

    java.util.List<JobIncident> incidents() {
        return java.util.List.copyOf(incidents);
    }

    /** Incidents recorded by an earlier agent of the node. */
    void restoreIncidents(java.util.List<JobIncident> recorded) {
        recorded.forEach(incidents::addLast);
        while (incidents.size() > INCIDENTS_KEPT) {
            incidents.removeFirst();
        }
    }

    /** The process ended: forget it, remember the exit code. */
    void ended(Integer exitCode) {
        this.process = null;
        this.processStart = null;
        this.lastExit = exitCode;
        this.healthy = null;
    }

    /** A failure of a run that lasted {@code ran}: the back-off before restarting, or empty when out of intensity. */
    Optional<Duration> failed(Instant now, Duration ran) {
        statistics = statistics.plusFailure();
        Optional<Duration> backoff = history.onFailure(now, ran);
        if (backoff.isEmpty()) {
            failedOut = true;
            wanted = false;
        }
        return backoff;
    }

    void countRestart() {
        statistics = statistics.plusRestart();
    }

    void scheduleRestart(ScheduledFuture<?> restart) {
        cancelRestart();
        pendingRestart = restart;
    }

    void cancelRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    int consecutiveFailures() {
        return history.consecutiveFailures();
    }

    JobStatus status(String node, Instant now) {
        account(now);
        return new JobStatus(spec, node, state, process == null ? 0 : process.pid(), processStart, failedOut, lastExit,
                statistics, healthy, incidents());
    }
}
