package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.MonitorReply;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a monitor knows of one child (an agent or a lower monitor): its state as the polls found it, its process, its
 * availability figures and, for an agent, the jobs it last reported. Touched only by the monitor's cycle thread.
 */
final class ChildTrack {

    private static final System.Logger LOG = System.getLogger(ChildTrack.class.getName());
    /**
     * Polls a child may miss before it is declared dead (a refused connection counts as dead at once), unless its
     * death-watch link is open: then its process lives, and only a silence of {@link WatchSocket#hungAfter} makes it
     * dead (hung). A node stalled by a flood of slow clients was once declared dead, replaced seven times over and had a
     * healthy job moved.
     */
    static final int MISSED_POLLS_DEAD = 2;

    /** What a child's poll reply tells its monitor, whichever kind of child it is. */
    record Answer(String instanceId, long pid, ElectionValue best, List<JobStatus> jobs) {
        static Answer of(AgentReply reply) {
            return new Answer(reply.instanceId(), reply.pid(), reply.best(), reply.jobs());
        }

        static Answer of(MonitorReply reply) {
            return new Answer(reply.instanceId(), reply.pid(), reply.best(), List.of());
        }
    }

    final String name;
    final boolean agent;
    String endpoint;
    ChildState state = ChildState.UNKNOWN;
    int missed;
    String instanceId;
    long pid;
    Instant lastSeen;
    Instant downSince;
    /** When the current run of missed polls began. */
    Instant missingSince;
    /** Until when the last process started for this child may take to answer before another is started. */
    Instant launchGraceUntil;
    /** Processes started for this child since it last answered. */
    int unansweredLaunches;
    /** The shutdown order this child was last logged as kept down for (one line per order, not per cycle). */
    io.hostpub.coordinator.api.operator.ShutdownOrder shutdownLogged;
    /** When the grace of the second unanswered start ends: from then on an agent's node is given up. */
    Instant givesUpAt;
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
        this.missingSince = null;
        this.launchGraceUntil = null;
        this.unansweredLaunches = 0;
        this.givesUpAt = null;
    }

    /** A process was started for this child now; it gets {@code grace} to answer. */
    void launched(Instant now, Duration grace) {
        launchGraceUntil = now.plus(grace);
        unansweredLaunches++;
        if (unansweredLaunches == 2) {
            givesUpAt = launchGraceUntil;
        }
    }

    /** A process started for this child may still be starting: no other is started meanwhile. */
    boolean launchPending(Instant now) {
        return launchGraceUntil != null && now.isBefore(launchGraceUntil);
    }

    /**
     * An agent's node is given up (its jobs move) once the agent has been dead for twice the restart grace and two
     * processes started for it had their whole grace without answering (or, where none could be started, at once).
     * On a loaded host an agent's JVM once took longer than one grace to start: its node was given up while the agent
     * was coming, a job was placed elsewhere, and the restarted agent adopted the old one beside it.
     */
    boolean givenUp(Duration restartGrace, Instant now) {
        if (downSince == null || Duration.between(downSince, now).compareTo(restartGrace.multipliedBy(2)) <= 0) {
            return false;
        }
        return givesUpAt != null ? !now.isBefore(givesUpAt) : !launchPending(now);
    }

    /**
     * @param refused the connection was refused: nobody listens, the child is dead whatever its link says
     * @param linked  its death-watch link is open now
     * @param hungAfter how long a linked child may miss polls before it counts as dead
     */
    void missed(boolean refused, boolean linked, Duration hungAfter, Instant now) {
        account(now);
        missed++;
        missingSince = missingSince == null ? now : missingSince;
        boolean slowNotDead = linked && Duration.between(missingSince, now).compareTo(hungAfter) < 0;
        ChildState next = refused || missed >= MISSED_POLLS_DEAD && !slowNotDead ? ChildState.DOWN
                : ChildState.MISSING;
        if (slowNotDead && missed == MISSED_POLLS_DEAD && state != ChildState.DOWN) {
            LOG.log(Level.INFO, "child {0}: {1} polls missed, but its death-watch link is open: slow, not dead (dead"
                    + " if silent for {2} ms)", name, missed, hungAfter.toMillis());
        }
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

    /** Answered the last poll, or known dead: what a passive monitor waits for before it acts. */
    boolean known() {
        return state == ChildState.UP || state == ChildState.DOWN;
    }

    /** The report of every child, each accounted up to {@code now}. */
    static List<ChildStatus> report(java.util.Collection<ChildTrack> children,
            io.hostpub.coordinator.api.plan.ClusterPlan plan, Instant now) {
        return children.stream().map(child -> {
            child.account(now);
            return child.status(child.agent ? "agent" : plan.monitor(child.name).level().key());
        }).toList();
    }

    ChildStatus status(String level) {
        return new ChildStatus(name, level, state, endpoint, pid, instanceId, lastSeen, statistics);
    }
}
