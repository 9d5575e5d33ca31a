package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** Everything the admin view shows about one instance. */
public record InstanceDetail(InstanceSummary summary, JvmInfo jvm, List<ApplicationInfo> applications,
        List<PoolInfo> pools, List<EventInfo> events) implements Serializable {
    @Serial private static final long serialVersionUID = 2L;

    public InstanceDetail {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(jvm, "jvm");
        applications = Checks.list(applications, "applications");
        pools = Checks.list(pools, "pools");
        events = Checks.list(events, "events");
    }
}
