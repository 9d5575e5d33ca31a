package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-wide license tally kept by the supervisor: units in use (the sum of every live instance's
 * holdings), the limit (0 = unlimited) and the holdings per instance.
 */
public record LicenseTally(int inUse, int limit, Map<String, Integer> holdings) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public LicenseTally {
        Checks.nonNegative(inUse, "inUse");
        Checks.nonNegative(limit, "limit");
        holdings = Map.copyOf(new TreeMap<>(holdings));
    }
}
