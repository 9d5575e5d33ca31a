package io.hostpub.coordinator.plan;

import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan.Node;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The parts of the plan last applied live ({@code hpctl cluster apply}, {@code scale}), kept in the cluster store
 * (scope {@value LivePlan#SCOPE}, key {@value LivePlan#KEY}) with a version that grows by one with each change: every
 * coordinator and agent uses these instead of its {@code cluster.json}'s, so a change reaches every machine without a
 * restart. Version 0 is the file's, before any change.
 *
 * @param nodes    the nodes in force, null in a revision that changed only applications (the file's nodes then)
 * @param monitors the monitor positions in force (a local coordinator's nodes change live), null likewise
 */
public record PlanRevision(long version, Instant at, String by, List<Application> applications, List<Node> nodes,
        List<MonitorPosition> monitors) {

    public PlanRevision {
        Objects.requireNonNull(at, "at");
        by = by == null ? "" : by;
        applications = List.copyOf(Objects.requireNonNull(applications, "applications"));
        nodes = nodes == null ? null : List.copyOf(nodes);
        monitors = monitors == null ? null : List.copyOf(monitors);
    }

    /** A revision of the applications alone. */
    public PlanRevision(long version, Instant at, String by, List<Application> applications) {
        this(version, at, by, applications, null, null);
    }
}
