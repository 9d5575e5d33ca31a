package io.hostpub.coordinator.api.operator;

import java.util.List;

/**
 * What operators asked a local coordinator for, kept in its checkpoint: jobs held stopped (not restarted, not placed)
 * and nodes drained (their jobs move away, nothing new is placed there).
 */
public record OperatorIntent(List<String> heldJobs, List<String> drainedNodes) {

    public static final OperatorIntent NONE = new OperatorIntent(List.of(), List.of());

    public OperatorIntent {
        heldJobs = heldJobs == null ? List.of() : List.copyOf(heldJobs);
        drainedNodes = drainedNodes == null ? List.of() : List.copyOf(drainedNodes);
    }
}
