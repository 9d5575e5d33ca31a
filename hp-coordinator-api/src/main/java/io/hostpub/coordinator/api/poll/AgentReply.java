package io.hostpub.coordinator.api.poll;

import io.hostpub.coordinator.api.job.JobStatus;
import java.util.List;
import java.util.Objects;

/**
 * A host agent's answer to a {@link Poll} or a status call: its identity, the best election value it has seen for
 * the polling position (a better one than the poller's tells the poller it is a duplicate: suicide), and its jobs.
 *
 * @param node       the agent's node
 * @param instanceId changes with every process of the agent, so a restarted agent is recognised
 * @param best       in a poll reply: the best value seen for the poller's position; in a status reply:
 *                   {@link ElectionValue#NONE}
 * @param unrecordedJobs job records the store has not taken yet (it refuses writes: a full disk, a store that is
 *                   down); the agent keeps them and writes them when it can
 */
public record AgentReply(String node, String instanceId, long pid, AgentState state, ElectionValue best,
        List<JobStatus> jobs, int unrecordedJobs) {

    /**
     * An agent's lifecycle as it reports it; SHUTTING_DOWN: a shutdown order covers its node, it stops its jobs and
     * takes no job commands.
     */
    public enum AgentState { NEW, RUNNING, SUPERSEDED, SHUTTING_DOWN, CLOSED }

    public AgentReply {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(best, "best");
        jobs = List.copyOf(Objects.requireNonNull(jobs, "jobs"));
        if (unrecordedJobs < 0) {
            throw new IllegalArgumentException("unrecordedJobs must not be negative: " + unrecordedJobs);
        }
    }
}
