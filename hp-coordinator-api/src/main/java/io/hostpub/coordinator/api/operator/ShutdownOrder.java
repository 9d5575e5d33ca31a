package io.hostpub.coordinator.api.operator;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's order to stop part of the installation and keep it stopped: every agent, coordinator and job under
 * {@code scope} (a monitor position, or {@link #ALL}) stops, and nothing restarts any of them, until the order is
 * lifted ({@code hpctl cluster start}). Kept in the cluster store, so every member reads the same order, a coordinator
 * started during the shutdown (a failover) stops at once, and a member cut off while it was placed acts on it when it
 * can read the store again.
 *
 * @param scope a monitor position of the plan ({@code local/l1}), or {@code all}
 * @param at    when it was placed
 * @param by    who placed it (user and tool, for the log and the cluster page)
 */
public record ShutdownOrder(String scope, Instant at, String by) {

    /** The scope of the whole installation. */
    public static final String ALL = "all";

    public ShutdownOrder {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(at, "at");
        by = by == null ? "" : by;
    }

    /**
     * Whether {@code member} (a node's agent and jobs, by the node's name, or a monitor position) is under this order:
     * the whole installation, or the scope's position, or anything beneath it in the plan.
     */
    public boolean covers(ClusterPlan plan, String member) {
        if (scope.equals(ALL)) {
            return true;
        }
        String at = member;
        for (int depth = 0; at != null && depth <= plan.monitors().size(); depth++) {
            if (at.equals(scope)) {
                return true;
            }
            at = plan.parentOf(at).map(ClusterPlan.MonitorPosition::position).orElse(null);
        }
        return false;
    }

    /**
     * Checks a scope an operator typed: {@code all} or a monitor position of the plan.
     *
     * @return the reason it is refused, or empty when it is valid
     */
    public static Optional<String> invalidScope(ClusterPlan plan, String scope) {
        if (scope == null || scope.isBlank()) {
            return Optional.of("no scope given: name a coordinator position or 'all'");
        }
        if (scope.equals(ALL) || plan.monitors().stream().anyMatch(m -> m.position().equals(scope))) {
            return Optional.empty();
        }
        boolean isNode = plan.nodes().stream().anyMatch(n -> n.name().equals(scope));
        return Optional.of("'" + scope + "' is " + (isNode ? "a node; a shutdown takes a coordinator position with"
                + " everything beneath it (to take one node out, drain it)" : "not in the cluster plan")
                + "; the positions are " + plan.monitors().stream().map(ClusterPlan.MonitorPosition::position)
                .toList() + " or 'all'");
    }

    /** How the log and the page name it. */
    public String describe() {
        return "shutdown of " + (scope.equals(ALL) ? "the whole installation" : scope) + " ordered " + at
                + (by.isEmpty() ? "" : " by " + by);
    }
}
