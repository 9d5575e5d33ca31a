package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A machine's instance list as the API and {@code hpctl instances --json} print it (external contract).
 *
 * @param licenses the supervisor's tally: only {@code inUse} and {@code limit} are printed
 */
public record MachineView(String machine, String supervisor, int registryPort, Licenses licenses,
        List<InstanceSummary> instances) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public MachineView {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(licenses, "licenses");
        instances = Checks.list(instances, "instances");
    }

    /** The machine's license figures in the contract's shape. */
    public record Licenses(int inUse, int limit) implements Serializable {
        @Serial private static final long serialVersionUID = 1L;
    }
}
