package io.hostpub.coordinator.api.poll;

import java.util.Comparator;
import java.util.Objects;

/**
 * What a monitor sends with every poll and what its children keep the best of (seed 0128). The value is the fencing
 * epoch the store granted the monitor for its position, so the monitor the election keeps is exactly the one whose
 * writes the store accepts: a newer grant is a better value, ties (impossible with one store) go to the smaller id.
 */
public record ElectionValue(long epoch, String monitorId) implements Comparable<ElectionValue> {

    public static final ElectionValue NONE = new ElectionValue(0, "");

    private static final Comparator<ElectionValue> ORDER = Comparator.comparingLong(ElectionValue::epoch)
            .thenComparing(ElectionValue::monitorId, Comparator.reverseOrder());

    public ElectionValue {
        Objects.requireNonNull(monitorId, "monitorId");
        if (epoch < 0) {
            throw new IllegalArgumentException("election epoch must be >= 0");
        }
    }

    @Override
    public int compareTo(ElectionValue other) {
        return ORDER.compare(this, other);
    }

    public boolean betterThan(ElectionValue other) {
        return compareTo(other) > 0;
    }

    public static ElectionValue best(ElectionValue a, ElectionValue b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
