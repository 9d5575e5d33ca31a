package io.hostpub.coordinator.plan;

import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The applications of the plan as last applied live ({@code hpctl cluster apply}, {@code scale}), kept in the cluster
 * store (scope {@value LivePlan#SCOPE}, key {@value LivePlan#KEY}) with a version that grows by one with each change:
 * every coordinator and agent uses these instead of its {@code cluster.json}'s, so a change reaches every machine
 * without a restart. Version 0 is the file's, before any change.
 */
public record PlanRevision(long version, Instant at, String by, List<Application> applications) {

    public PlanRevision {
        Objects.requireNonNull(at, "at");
        by = by == null ? "" : by;
        applications = List.copyOf(Objects.requireNonNull(applications, "applications"));
    }
}
