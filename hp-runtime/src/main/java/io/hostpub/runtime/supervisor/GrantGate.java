package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.runtime.events.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * When a new supervisor may grant license units again. After a takeover the tally is rebuilt from what the
 * survivors re-announce; a unit granted before that could be one a survivor still holds. So grant decisions are
 * deferred (never refused) until both:
 * <ul>
 *   <li>the reclaim window ({@code licenseReclaimMs}) has passed, and</li>
 *   <li>every member of the previous supervisor's roster whose process is still alive has re-announced. A member
 *       that is stopped or hung cannot; the gate waits for it at most {@code licenseRosterWaitMs} longer, then
 *       opens with a warning naming its pid.</li>
 * </ul>
 *
 * <pre>
 *   RECLAIMING --window over, none outstanding--------------------------> OPEN
 *       \--window over, alive members outstanding--> WAITING --all announced or exited--> OPEN
 *                                                       \--roster wait over (warning)----> OPEN
 *   any --close()--> CLOSED
 * </pre>
 *
 * Rosters arriving after the gate opened are ignored: it never closes again.
 */
final class GrantGate {

    enum State { RECLAIMING, WAITING, OPEN, CLOSED }

    /** How often a waiting gate looks for members that exited. */
    static final long RECHECK_MS = 50;

    private final EventLog events;
    private final ScheduledExecutorService scheduler;
    private final long ownPid;
    private final LongPredicate alive;
    private final long startNanos;
    private final long windowEndNanos;
    private final long waitEndNanos;
    private final Set<Long> outstanding = new TreeSet<>();
    private final Set<Long> announced = new java.util.HashSet<>();
    private final List<Runnable> deferred = new ArrayList<>();
    private volatile State state = State.RECLAIMING;
    private boolean learnedAny;

    /**
     * @param roster the pids of the previous supervisor's roster, as this runtime last heard it
     * @param alive whether a pid is a live process (the members share this machine)
     */
    GrantGate(EventLog events, ScheduledExecutorService scheduler, long ownPid, long[] roster, long reclaimMs,
            long rosterWaitMs, LongPredicate alive) {
        this.events = events;
        this.scheduler = scheduler;
        this.ownPid = ownPid;
        this.alive = alive;
        this.startNanos = System.nanoTime();
        this.windowEndNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(reclaimMs);
        this.waitEndNanos = windowEndNanos + TimeUnit.MILLISECONDS.toNanos(rosterWaitMs);
        synchronized (this) {
            addOutstanding(roster);
            evaluate(); // nothing is deferred yet: opening here releases no decision
        }
        if (state != State.OPEN) {
            schedule(reclaimMs, TimeUnit.MILLISECONDS);
        }
    }

    State state() {
        return state;
    }

    /** Runs a grant decision at once if the gate is open (or closed: the decision sees that), else when it opens. */
    void whenOpen(Runnable decision) {
        if (state == State.OPEN) {
            decision.run();
            return;
        }
        synchronized (this) {
            if (state == State.RECLAIMING || state == State.WAITING) {
                deferred.add(decision);
                return;
            }
        }
        decision.run();
    }

    /** A member (re-)announced its holdings. */
    void announced(long pid) {
        List<Runnable> released;
        synchronized (this) {
            if (state == State.OPEN || state == State.CLOSED) {
                return;
            }
            announced.add(pid);
            outstanding.remove(pid);
            released = evaluate();
        }
        runLater(released);
    }

    /**
     * A member handed on its previous supervisor's roster.
     *
     * @return true if the gate now waits for members it did not know of
     */
    boolean learn(long[] roster) {
        synchronized (this) {
            if (state == State.OPEN || state == State.CLOSED) {
                return false;
            }
            return addOutstanding(roster);
        }
    }

    /** The members still to re-announce (part of the roster this supervisor hands on). */
    synchronized long[] outstanding() {
        return outstanding.stream().mapToLong(Long::longValue).toArray();
    }

    /** Runs every deferred decision now; they see the supervisor closed. */
    void close() {
        List<Runnable> released;
        synchronized (this) {
            state = State.CLOSED;
            released = List.copyOf(deferred);
            deferred.clear();
        }
        released.forEach(Runnable::run);
    }

    private boolean addOutstanding(long[] roster) {
        boolean added = false;
        for (long pid : roster) {
            if (pid != ownPid && !announced.contains(pid) && !outstanding.contains(pid) && alive.test(pid)) {
                outstanding.add(pid);
                added = true;
            }
        }
        learnedAny |= roster.length > 0;
        return added;
    }

    /** Called with the lock held: opens the gate if it may; returns the decisions to run then, else null. */
    private List<Runnable> evaluate() {
        long now = System.nanoTime();
        if (now - windowEndNanos < 0) {
            return null;
        }
        outstanding.removeIf(pid -> !alive.test(pid));
        if (outstanding.isEmpty()) {
            if (learnedAny || state == State.WAITING) {
                events.record(EventKind.LICENSE, "granting after " + millisSince(now) + " ms: every live member of "
                        + "the previous roster has re-announced its holdings");
            }
            return open();
        }
        if (now - waitEndNanos >= 0) {
            events.warn(EventKind.LICENSE, "granting after " + millisSince(now) + " ms although live member(s) with "
                    + "pid " + outstanding + " never re-announced (stopped or hung longer than licenseRosterWaitMs): "
                    + "their holdings are not counted until they do");
            outstanding.clear();
            return open();
        }
        if (state == State.RECLAIMING) {
            // the event first: whoever sees WAITING (state() reads without the lock) finds it recorded
            events.warn(EventKind.LICENSE, "holding grants: live member(s) with pid " + outstanding + " of the "
                    + "previous roster have not re-announced their holdings; waiting for them at most "
                    + TimeUnit.NANOSECONDS.toMillis(waitEndNanos - now) + " ms more");
            state = State.WAITING;
        }
        return null;
    }

    private List<Runnable> open() {
        state = State.OPEN;
        List<Runnable> released = List.copyOf(deferred);
        deferred.clear();
        return released;
    }

    private long millisSince(long now) {
        return TimeUnit.NANOSECONDS.toMillis(now - startNanos);
    }

    private void check() {
        List<Runnable> released;
        synchronized (this) {
            if (state == State.OPEN || state == State.CLOSED) {
                return;
            }
            released = evaluate();
        }
        if (released != null) {
            released.forEach(Runnable::run);
        } else {
            long untilWindow = windowEndNanos - System.nanoTime();
            schedule(Math.max(TimeUnit.MILLISECONDS.toNanos(RECHECK_MS), untilWindow), TimeUnit.NANOSECONDS);
        }
    }

    private void schedule(long delay, TimeUnit unit) {
        try {
            scheduler.schedule(this::check, delay, unit);
        } catch (RejectedExecutionException e) {
            // the runtime is closing
        }
    }

    private void runLater(List<Runnable> released) {
        if (released == null || released.isEmpty()) {
            return;
        }
        try {
            scheduler.execute(() -> released.forEach(Runnable::run));
        } catch (RejectedExecutionException e) {
            // the runtime is closing: the decisions' requesters fail on their own wait
        }
    }
}
