package io.hostpub.coordinator.agent;

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

    /** Adds the time since the last accounting to up time (running) or down time (wanted, not running). */
    void account(Instant now) {
        long millis = Duration.between(accountedAt, now).toMillis();
        if (state == JobState.RUNNING) {
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

    void started(ProcessHandle process, Instant processStart) {
        this.process = process;
        this.processStart = processStart;
    }

    /** The process ended: forget it, remember the exit code. */
    void ended(Integer exitCode) {
        this.process = null;
        this.processStart = null;
        this.lastExit = exitCode;
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
                statistics);
    }
}
