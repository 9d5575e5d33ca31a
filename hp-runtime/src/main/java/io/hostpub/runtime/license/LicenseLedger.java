package io.hostpub.runtime.license;

import io.hostpub.admin.api.model.LicenseTally;
import java.util.HashMap;
import java.util.Map;

/**
 * The supervisor's machine-wide tally: holdings per live instance and their sum, against one limit.
 * Invariant: {@code inUse == sum(holdings)} after every method.
 */
public final class LicenseLedger {

    private final int limit;
    private final Map<String, Integer> holdings = new HashMap<>();
    private int inUse;

    /** @param limit 0 = unlimited */
    public LicenseLedger(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        this.limit = limit;
    }

    /**
     * Grants {@code units} if the limit allows, plus up to {@code lease} more for the instance to hand out locally:
     * without a limit the whole lease, else at most a quarter of what stays free, so leases thin out as the machine
     * nears its limit and the last units go to whoever needs them.
     *
     * @return the units granted, {@code units} plus the leased part; 0 if {@code units} do not fit
     */
    public synchronized int tryGrant(String instance, int units, int lease) {
        int granted = units;
        if (limit > 0) {
            long free = (long) limit - inUse;
            if (units > free) {
                return 0;
            }
            granted += (int) Math.min(lease, (free - units) / 4);
        } else {
            granted += lease;
        }
        holdings.merge(instance, granted, Integer::sum);
        inUse += granted;
        return granted;
    }

    /** @return the units actually released (never more than held) */
    public synchronized int release(String instance, int units) {
        int held = holdings.getOrDefault(instance, 0);
        int released = Math.min(held, units);
        if (held - released == 0) {
            holdings.remove(instance);
        } else {
            holdings.put(instance, held - released);
        }
        inUse -= released;
        return released;
    }

    /** Records what an (re-)announcing instance already holds; holdings are real and always accepted. */
    public synchronized void announce(String instance, int units) {
        drop(instance);
        if (units > 0) {
            holdings.put(instance, units);
            inUse += units;
        }
    }

    /** Forgets a dead instance's holdings; returns them. */
    public synchronized int drop(String instance) {
        Integer held = holdings.remove(instance);
        if (held == null) {
            return 0;
        }
        inUse -= held;
        return held;
    }

    public synchronized LicenseTally tally() {
        return new LicenseTally(inUse, limit, holdings);
    }

    public String describeLimit() {
        return limit == 0 ? "unlimited" : String.valueOf(limit);
    }
}
