package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.job.JobStatus;
import java.util.List;
import java.util.Objects;

/**
 * A child's answer to a {@link Poll}: its identity, the best election value it has seen for the polling position
 * (a better one than the poller's tells the poller it is a duplicate: suicide), and what it watches.
 *
 * @param instanceId changes with every process of the child, so a restarted child is recognised
 * @param jobs       for an agent: its jobs; for a monitor: empty
 * @param children   for a monitor: the children it watches with their states; for an agent: empty
 */
public record PollReply(String name, String instanceId, long pid, ElectionValue best, List<JobStatus> jobs,
        List<ChildStatus> children) {

    public PollReply {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(best, "best");
        jobs = List.copyOf(jobs);
        children = List.copyOf(children);
    }
}
