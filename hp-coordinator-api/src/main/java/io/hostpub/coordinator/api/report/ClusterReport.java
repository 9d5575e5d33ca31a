package io.hostpub.coordinator.api.report;

import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.poll.ChildStatus;
import java.time.Instant;
import java.util.List;

/**
 * The hierarchy as an operator sees it at one moment: every monitor position and every agent, each with its parent,
 * whether it answers, and what it reports. Flat lists with parent links (easy to filter, and to draw as a tree).
 *
 * @param shutdowns the shutdown orders in force (what is down on purpose), none while everything may run
 * @param rollouts  each application's latest WAR rollout (in progress or how it ended), none if it never had one
 */
public record ClusterReport(String store, long pollIntervalMs, Instant at, List<MonitorReport> monitors,
        List<AgentReport> agents, List<ShutdownOrder> shutdowns,
        List<io.hostpub.coordinator.api.rollout.Rollout> rollouts) {

    public ClusterReport {
        monitors = List.copyOf(monitors);
        agents = List.copyOf(agents);
        shutdowns = shutdowns == null ? List.of() : List.copyOf(shutdowns);
        rollouts = rollouts == null ? List.of() : List.copyOf(rollouts);
    }

    /** A report without rollouts. */
    public ClusterReport(String store, long pollIntervalMs, Instant at, List<MonitorReport> monitors,
            List<AgentReport> agents, List<ShutdownOrder> shutdowns) {
        this(store, pollIntervalMs, at, monitors, agents, shutdowns, List.of());
    }

    /** A report without shutdown orders. */
    public ClusterReport(String store, long pollIntervalMs, Instant at, List<MonitorReport> monitors,
            List<AgentReport> agents) {
        this(store, pollIntervalMs, at, monitors, agents, List.of());
    }

    /** Where a job runs now: {@link #locate(String)}. */
    public record JobLocation(String job, String node, String address, int httpPort, long pid, String state) {
    }

    /**
     * Where the running instance of {@code job} is: its node, the node's address, the job's HTTP port and pid (the
     * seed's {@code locate(job)}). Empty when no agent reports it running.
     */
    public java.util.Optional<JobLocation> locate(String job) {
        for (AgentReport agent : agents) {
            for (JobStatus status : agent.jobs()) {
                if (status.name().equals(job) && status.state().isLive() && !status.failedOut()) {
                    String host = agent.address().substring(0, agent.address().lastIndexOf(':'));
                    return java.util.Optional.of(new JobLocation(job, agent.node(), host, status.spec().httpPort(),
                            status.pid(), status.state().name()));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * One monitor position.
     *
     * @param state ACTIVE, PASSIVE, DOWN when no monitor of the position answers, or UNKNOWN when the store that
     *              locates it does not answer (its error is then in {@code storeProblem})
     * @param epoch    the fencing epoch (election value) of the answering monitor, else the position's latest grant
     * @param operator jobs held stopped and nodes drained by operators (local positions)
     * @param storeProblem what the monitor's store refuses (see {@code MonitorReply}), null while it works
     * @param jobs     for a local position: each job's availability (see {@code MonitorReply})
     * @param standby  the warm standby linked to the active monitor now, as that monitor last wrote (null: none)
     */
    public record MonitorReport(String position, String parent, String state, long pid, String node, String endpoint,
            long epoch, List<ChildStatus> children, OperatorIntent operator, String storeProblem,
            java.util.Map<String, io.hostpub.coordinator.api.job.JobAvailability> jobs, Standby standby) {
        public MonitorReport {
            children = List.copyOf(children);
            operator = operator == null ? OperatorIntent.NONE : operator;
            jobs = jobs == null ? java.util.Map.of() : java.util.Map.copyOf(jobs);
        }

        /** A report without job availability or standby. */
        public MonitorReport(String position, String parent, String state, long pid, String node, String endpoint,
                long epoch, List<ChildStatus> children, OperatorIntent operator, String storeProblem) {
            this(position, parent, state, pid, node, endpoint, epoch, children, operator, storeProblem, null, null);
        }
    }

    /** A warm standby coordinator, ready to take its position's fence the moment the active one dies. */
    public record Standby(String node, long pid) {
    }

    /**
     * One node's agent: DOWN when it does not answer.
     *
     * @param unrecordedJobs job records its store has not taken yet (see {@code AgentReply})
     */
    public record AgentReport(String node, String address, String parent, String state, long pid,
            List<JobStatus> jobs, int unrecordedJobs) {
        public AgentReport {
            jobs = List.copyOf(jobs);
        }
    }
}
