package io.hostpub.runtime.link;

import java.util.Arrays;

/**
 * The last roster a runtime's supervisor sent it: the pids of the machine's members. If this runtime becomes the
 * next supervisor, it grants nothing new until each of them that is still alive has re-announced its holdings;
 * if it joins another supervisor, it hands the roster on (a freshly started winner knows no roster of its own).
 */
public final class RosterMemory {

    private volatile long[] pids = new long[0];

    public void remember(long[] members) {
        this.pids = members.clone();
    }

    public long[] pids() {
        return pids.clone();
    }

    /** How many members the roster names. */
    public int size() {
        return pids.length;
    }

    public boolean isEmpty() {
        return pids.length == 0;
    }

    @Override
    public String toString() {
        return "RosterMemory" + Arrays.toString(pids);
    }
}
