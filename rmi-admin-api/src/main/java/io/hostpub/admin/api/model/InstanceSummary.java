package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One row of a machine's instance list; its JSON form is part of the external contract. */
public record InstanceSummary(String name, Role role, long pid, Instant startedAt, long uptimeMs, String container,
        List<Integer> httpPorts, int licensesInUse) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public InstanceSummary {
        InstanceNames.requireValid(name);
        Objects.requireNonNull(role, "role");
        Checks.nonNegative(pid, "pid");
        Objects.requireNonNull(startedAt, "startedAt");
        Checks.nonNegative(uptimeMs, "uptimeMs");
        if (container != null) {
            Checks.text(container, "container", 200);
        }
        httpPorts = Checks.list(httpPorts, "httpPorts");
        Checks.nonNegative(licensesInUse, "licensesInUse");
    }
}
