package io.hostpub.runtime.election;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When a runtime races again after its supervisor died. The designated successor races at once and keeps trying for
 * a moment; every other runtime keeps quiet for a head start first, so the successor wins and takes over with its
 * standby registry. Should the successor be gone too, the others race after the head start as before.
 */
final class RejoinPacing {

    /** Upper bound of the random pause before re-racing (thundering herd). */
    static final int REJOIN_JITTER_MS = 5;
    /** The head start every runtime but the designated successor gives it. */
    static final int SUCCESSOR_HEAD_START_MS = 10;
    /**
     * And 1 ms more per member of the roster: every survivor wakes at once, and on two cores the successor's own turn
     * came up to 30 ms late among 31 others (measured at N = 32), after the others had raced.
     */
    static final int HEAD_START_PER_MEMBER_MS = 1;
    /** How long the successor keeps trying to bind while the port is still held, before it links instead. */
    static final int SUCCESSOR_PERSISTENCE_MS = 100;

    private RejoinPacing() {
    }

    static long headStart(int rosterSize) {
        return SUCCESSOR_HEAD_START_MS + (long) HEAD_START_PER_MEMBER_MS * rosterSize;
    }

    /** Nothing for the successor; the head start (unless given already) and a jitter for everybody else. */
    static long rejoinPause(boolean successor, boolean headStartGiven, int rosterSize) {
        if (successor) {
            return 0;
        }
        return (headStartGiven ? 0 : headStart(rosterSize)) + ThreadLocalRandom.current().nextInt(REJOIN_JITTER_MS + 1);
    }
}
