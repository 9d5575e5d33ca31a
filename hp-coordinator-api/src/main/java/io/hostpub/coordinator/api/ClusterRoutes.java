package io.hostpub.coordinator.api;

import io.hostpub.coordinator.api.checkpoint.Checkpoint;
import io.hostpub.coordinator.api.checkpoint.CheckpointQuery;
import io.hostpub.coordinator.api.checkpoint.CheckpointSave;
import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.NodeName;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.api.rollout.WarPiece;
import io.hostpub.coordinator.api.rollout.WarPieceQuery;
import java.util.List;

/**
 * Every route of the cluster wire, with its request and reply types: the one place a path is written.
 *
 * <pre>
 *   hpctl / WAR ──CLUSTER_REPORT, CLUSTER_OPERATOR──▶ agent ──OPERATOR_*──▶ local coordinator
 *   coordinator ──MONITOR_POLL──▶ child coordinator      coordinator ──AGENT_POLL, JOB_*──▶ agent
 * </pre>
 */
public final class ClusterRoutes {

    // ---- served by a node's host agent ----

    /** A coordinator's poll of an agent. */
    public static final Route<Poll, AgentReply> AGENT_POLL = new Route<>("/poll", Poll.class, AgentReply.class);
    /** An agent's report without counting as a poll (changes no election). */
    public static final Route<NoBody, AgentReply> AGENT_STATUS = new Route<>("/status", NoBody.class,
            AgentReply.class);
    /** Start a job on the agent's node (idempotent for the same spec; 409 if another spec runs under the name). */
    public static final Route<JobSpec, JobStatus> JOB_START = new Route<>("/jobs/start", JobSpec.class,
            JobStatus.class);
    /** Stop a job: SIGTERM, SIGKILL after the grace period. */
    public static final Route<JobName, JobStatus> JOB_STOP = new Route<>("/jobs/stop", JobName.class,
            JobStatus.class);
    /** Drop an idle job that failed out here and was placed elsewhere (409 unless idle). */
    public static final Route<JobName, JobStatus> JOB_FORGET = new Route<>("/jobs/forget", JobName.class,
            JobStatus.class);
    /**
     * The operator's nudge after placing or lifting a shutdown order: the agent reads the orders in the store now
     * instead of at its next look (the nudge itself orders nothing).
     */
    public static final Route<NoBody, NoBody> AGENT_SHUTDOWN = new Route<>("/shutdown", NoBody.class, NoBody.class);
    /** A job's checkpoint, kept under the fence of the job's current instance (409 for a stale instance). */
    public static final Route<CheckpointSave, Checkpoint> CHECKPOINT_SAVE = new Route<>("/checkpoint/save",
            CheckpointSave.class, Checkpoint.class);
    /** A job's latest checkpoint (404 before the first). */
    public static final Route<CheckpointQuery, Checkpoint> CHECKPOINT_LATEST = new Route<>("/checkpoint/latest",
            CheckpointQuery.class, Checkpoint.class);
    /** Part of a WAR version this node keeps, for a peer agent that must run it and lacks it (404 if not kept). */
    public static final Route<WarPieceQuery, WarPiece> WAR_PIECE = new Route<>("/wars/piece", WarPieceQuery.class,
            WarPiece.class);
    /** The whole hierarchy as the agent's store and every peer's status show it. */
    public static final Route<NoBody, ClusterReport> CLUSTER_REPORT = new Route<>("/cluster/report", NoBody.class,
            ClusterReport.class);
    /** An operator's request, relayed to the local coordinator in charge. */
    public static final Route<OperatorRequest, OperatorReceipt> CLUSTER_OPERATOR = new Route<>("/cluster/operator",
            OperatorRequest.class, OperatorReceipt.class);

    // ---- served by a coordinator (monitor) ----

    /** A parent coordinator's poll of a child coordinator. */
    public static final Route<Poll, MonitorReply> MONITOR_POLL = new Route<>("/poll", Poll.class, MonitorReply.class);
    /** A coordinator's report without counting as a poll. */
    public static final Route<NoBody, MonitorReply> MONITOR_STATUS = new Route<>("/status", NoBody.class,
            MonitorReply.class);
    /** Hold a job stopped (local coordinators only). */
    public static final Route<JobName, OperatorIntent> OPERATOR_STOP_JOB = new Route<>("/operator/stop-job",
            JobName.class, OperatorIntent.class);
    /** Release a held job. */
    public static final Route<JobName, OperatorIntent> OPERATOR_START_JOB = new Route<>("/operator/start-job",
            JobName.class, OperatorIntent.class);
    /** Drain a node: its jobs move away, nothing new is placed there. */
    public static final Route<NodeName, OperatorIntent> OPERATOR_DRAIN = new Route<>("/operator/drain",
            NodeName.class, OperatorIntent.class);
    /** Undrain a node. */
    public static final Route<NodeName, OperatorIntent> OPERATOR_UNDRAIN = new Route<>("/operator/undrain",
            NodeName.class, OperatorIntent.class);

    private ClusterRoutes() {
    }

    /** What an agent serves. */
    public static List<Route<?, ?>> agent() {
        return List.of(AGENT_POLL, AGENT_STATUS, JOB_START, JOB_STOP, JOB_FORGET, AGENT_SHUTDOWN, CHECKPOINT_SAVE,
                CHECKPOINT_LATEST, WAR_PIECE, CLUSTER_REPORT, CLUSTER_OPERATOR);
    }

    /** What a coordinator serves. */
    public static List<Route<?, ?>> monitor() {
        return List.of(MONITOR_POLL, MONITOR_STATUS, OPERATOR_STOP_JOB, OPERATOR_START_JOB, OPERATOR_DRAIN,
                OPERATOR_UNDRAIN);
    }
}
