package io.hostpub.coordinator.api.poll;

import io.hostpub.coordinator.api.operator.OperatorIntent;
import java.util.List;
import java.util.Objects;

/**
 * A coordinator's answer to a {@link Poll} from its parent, or to a status call.
 *
 * @param position   the coordinator's position, e.g. {@code local/l1}
 * @param instanceId changes with every process, so a restarted coordinator is recognised
 * @param best       in a poll reply: the best value seen for the poller's position; in a status reply: its own
 * @param children   the children it watches, with their states and statistics
 * @param operator   for a local coordinator: the jobs held stopped and the nodes drained
 * @param storeProblem what its store refuses and since when (a full disk, a store that is down): its checkpoint is
 *                     not written, so a successor would start from an older one; null while the store works
 * @param jobs       for a local coordinator: the availability of each of its jobs, by job name
 */
public record MonitorReply(String position, String instanceId, long pid, MonitorState state, ElectionValue best,
        List<ChildStatus> children, OperatorIntent operator, String storeProblem,
        java.util.Map<String, io.hostpub.coordinator.api.job.JobAvailability> jobs) {

    /**
     * A coordinator's lifecycle as it reports it: PASSIVE until one full poll cycle is done (it restarts and places
     * nothing yet), then ACTIVE; SUICIDED when it learnt it was superseded.
     */
    public enum MonitorState { STARTING, PASSIVE, ACTIVE, SUICIDED, CLOSED }

    public MonitorReply {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(best, "best");
        children = List.copyOf(Objects.requireNonNull(children, "children"));
        operator = operator == null ? OperatorIntent.NONE : operator;
        jobs = jobs == null ? java.util.Map.of() : java.util.Map.copyOf(jobs);
    }

    /** A reply without job availability (group and universal coordinators). */
    public MonitorReply(String position, String instanceId, long pid, MonitorState state, ElectionValue best,
            List<ChildStatus> children, OperatorIntent operator, String storeProblem) {
        this(position, instanceId, pid, state, best, children, operator, storeProblem, null);
    }
}
