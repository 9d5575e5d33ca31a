package io.hostpub.coordinator.monitor;

import java.time.Duration;

/**
 * How fast children start a new parent after its silence: the back-off before a start, and the grace a started parent
 * gets before another is started. Pure functions of what a {@link ParentWatch} counted, so they are tested alone.
 */
final class ParentRestartPacing {

    static final Duration MIN_LAUNCH_GRACE = Duration.ofSeconds(5);
    /** Most penalties (each two maximum back-offs) added for parents this child started that never polled. */
    static final int MAX_PENALTIES = 4;
    /** Most doublings of the launch grace: 5 s becomes at most 40 s after three launches in a row never polled. */
    static final int MAX_GRACE_DOUBLINGS = 3;

    private ParentRestartPacing() {
    }

    /**
     * A random back-off below {@code maxBackoff}, plus two maximum back-offs per unanswered start (at most
     * {@value #MAX_PENALTIES}): enough that a child whose last parent never polled always comes after the others,
     * whatever their draws and the head start it had from winning the last round.
     */
    static long backoff(double draw, Duration maxBackoff, int unansweredStarts) {
        long max = Math.max(0, maxBackoff.toMillis());
        return (long) (draw * max) + 2 * max * Math.min(unansweredStarts, MAX_PENALTIES);
    }

    /**
     * How long a parent started by anyone gets to begin polling before another is started: a JVM start or more, doubled
     * for each launch in a row whose parent never polled. On a loaded host a coordinator's JVM can take longer than
     * the first grace to start and poll; starting another beside it only loads the host more (a CI run once had four
     * local coordinators starting at once, each superseding the last, for over a minute).
     */
    static Duration launchGrace(Duration timeout, int unpolledLaunches) {
        Duration base = timeout.compareTo(MIN_LAUNCH_GRACE) > 0 ? timeout : MIN_LAUNCH_GRACE;
        return base.multipliedBy(1L << Math.min(unpolledLaunches, MAX_GRACE_DOUBLINGS));
    }
}
