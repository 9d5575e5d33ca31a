package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.job.JobStatus;
import java.util.List;
import java.util.Objects;

/**
 * A child's answer to a {@link Poll}: its identity, the best election value it has seen for the polling position
 * (a better one than the poller's tells the poller it is a duplicate: suicide), and what it watches.
 *
 * @param instanceId changes with every process of the child, so a restarted child is recognised
 * @param state      the child's lifecycle state (an agent's RUNNING; a monitor's PASSIVE or ACTIVE)
 * @param best       in a poll reply: the best value seen for the poller's position; in a status reply of a monitor:
 *                   its own value
 * @param jobs       for an agent: its jobs; for a monitor: empty
 * @param children   for a monitor: the children it watches with their states; for an agent: empty
 * @param operator   for a local monitor: held jobs and drained nodes
 */
public record PollReply(String name, String instanceId, long pid, String state, ElectionValue best,
        List<JobStatus> jobs, List<ChildStatus> children, OperatorIntent operator) {

    public PollReply {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(best, "best");
        jobs = List.copyOf(jobs);
        children = List.copyOf(children);
        operator = operator == null ? OperatorIntent.NONE : operator;
    }
}
