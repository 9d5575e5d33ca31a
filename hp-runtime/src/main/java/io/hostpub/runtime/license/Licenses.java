package io.hostpub.runtime.license;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.metrics.RuntimeMetrics;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * One instance's license holdings and its way to the machine-wide tally. During an election there is no
 * channel: {@link #acquire} waits for one up to {@code waitMs}, then fails clearly.
 *
 * <p>The holdings count and the channel change under one lock, so a (re-)announce sends exactly the units
 * held, and a grant that arrives after its requester gave up is handed straight back.
 *
 * <p>Leases (issue 14): over a channel that {@link LicenseChannel#leases() leases}, a request also asks for up to
 * {@code leaseUnits} more, which this instance keeps as its reserve and grants locally, at memory speed, with no
 * message; released units go back to the reserve up to the same size (until a recall), the rest to the supervisor.
 * The reserve counts in the machine's tally like held units, so the limit holds; it goes back to the supervisor when
 * this instance has used none of it for {@code leaseIdleMs}, at once when the supervisor recalls it for a member that
 * would otherwise be refused, and with the link: a new supervisor is announced only the units in use.
 */
public final class Licenses {

    private final EventLog events;
    private final long waitMs;
    private final int leaseUnits;
    private final long leaseIdleNanos;
    private final ScheduledExecutorService idleTimer;
    private final Object lock = new Object();
    private int holdings;
    private int reserve;
    /** False from a recall until the next grant with a lease: units in short supply, releases go straight back. */
    private boolean refill = true;
    private long lastLocalUseNanos;
    private boolean idleCheckScheduled;
    private LicenseChannel channel;
    /** Where grants and refusals are counted (the runtime's; a license object of its own otherwise). */
    private RuntimeMetrics metrics = new RuntimeMetrics();

    /** Without leases: every acquire and release goes to the supervisor. */
    public Licenses(EventLog events, long waitMs) {
        this(events, waitMs, 0, 0, null);
    }

    /** As the configuration says: {@code licenseWaitMs}, {@code licenseLeaseUnits}, {@code licenseLeaseIdleMs}. */
    public static Licenses configured(EventLog events, io.hostpub.runtime.config.RuntimeConfig config,
            ScheduledExecutorService idleTimer, RuntimeMetrics metrics) {
        Licenses licenses = new Licenses(events, config.licenseWaitMs(), config.licenseLeaseUnits(),
                config.licenseLeaseIdleMs(), idleTimer);
        licenses.metrics = metrics;
        return licenses;
    }

    /**
     * @param leaseUnits the largest reserve this instance keeps (0 = no leases)
     * @param leaseIdleMs how long an unused reserve is kept (0 = until recalled or the link ends)
     * @param idleTimer runs the idle check; its thread need only exist while a reserve is held
     */
    public Licenses(EventLog events, long waitMs, int leaseUnits, long leaseIdleMs,
            ScheduledExecutorService idleTimer) {
        if (leaseUnits < 0 || leaseIdleMs < 0) {
            throw new IllegalArgumentException("leaseUnits and leaseIdleMs must not be negative");
        }
        this.events = events;
        this.waitMs = waitMs;
        this.leaseUnits = leaseUnits;
        this.leaseIdleNanos = TimeUnit.MILLISECONDS.toNanos(leaseIdleMs);
        this.idleTimer = idleTimer;
    }

    /** Acquires units machine-wide, waiting up to the configured time for a supervisor. */
    public void acquire(int units) throws LicenseException, InterruptedException {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive: " + units);
        }
        try {
            acquireOnce(units);
            metrics.granted(units);
        } catch (LicenseException e) {
            metrics.denied();
            throw e;
        }
    }

    private void acquireOnce(int units) throws LicenseException, InterruptedException {
        if (fromReserve(units)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            LicenseChannel current = awaitChannel(deadline);
            if (current == null) {
                throw new LicenseException("no supervisor elected within " + waitMs
                        + " ms (licenseWaitMs); " + units + " license unit(s) not acquired");
            }
            CompletableFuture<Void> grant = current.request(units, current.leases() ? leaseUnits : 0);
            try {
                grant.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                grant.cancel(false);
                throw new LicenseException("supervisor did not answer a license request within " + waitMs + " ms");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof LicenseException denied) {
                    throw new LicenseException(denied.getMessage());
                }
                if (!(e.getCause() instanceof LicenseChannel.LinkLostException)) {
                    throw new IllegalStateException("license request failed", e.getCause());
                }
                // the supervisor went away: retry with the next one
            } catch (CancellationException e) {
                throw new LicenseException("license request cancelled");
            }
        }
    }

    /** Takes the units from the reserve if it holds enough and a channel is attached (else a new tally is forming). */
    private boolean fromReserve(int units) {
        synchronized (lock) {
            if (channel == null || reserve < units) {
                return false;
            }
            reserve -= units;
            holdings += units;
            lastLocalUseNanos = System.nanoTime();
            return true;
        }
    }

    public void release(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive: " + units);
        }
        synchronized (lock) {
            if (units > holdings) {
                throw new IllegalStateException("releasing " + units + " unit(s) but holding " + holdings);
            }
            holdings -= units;
            if (channel == null) {
                return; // the next announce carries the figure
            }
            if (!channel.leases() || leaseUnits == 0 || !refill) {
                channel.release(units);
                return;
            }
            reserve += units;
            lastLocalUseNanos = System.nanoTime();
            if (reserve > leaseUnits) {
                channel.release(reserve - leaseUnits);
                reserve = leaseUnits;
            }
            scheduleIdleCheck();
        }
    }

    /** The units this instance's pools hold (in use; the reserve is not counted here). */
    public int holdings() {
        synchronized (lock) {
            return holdings;
        }
    }

    /** The leased units this instance holds unused, ready for local grants; counted in the machine's tally. */
    public int reserve() {
        synchronized (lock) {
            return reserve;
        }
    }

    /**
     * Called by a channel when units were granted: {@code units} for the request, {@code leased} more for the reserve.
     * Returns false (and the caller hands all of them back) if the request was given up meanwhile.
     */
    public boolean granted(CompletableFuture<Void> request, int units, int leased) {
        synchronized (lock) {
            if (!request.complete(null)) {
                return false;
            }
            holdings += units;
            if (leased > 0) {
                refill = true;
                reserve += leased;
                lastLocalUseNanos = System.nanoTime();
                scheduleIdleCheck();
            }
            return true;
        }
    }

    /**
     * The supervisor recalls the reserve for a member that waits: empties it and returns how many units it held. Until
     * the supervisor leases again (it does not while units are short), released units go straight back instead of
     * refilling the reserve, so a unit freed after this answer still reaches the waiting member.
     */
    public int recall() {
        synchronized (lock) {
            int returned = reserve;
            reserve = 0;
            refill = false;
            return returned;
        }
    }

    /**
     * Attaches a channel, passing the current holdings to {@code announce} under the lock so no acquire or
     * release slips between the announced figure and the channel. A reserve from the previous supervisor is not
     * announced: it returns with that supervisor's tally.
     */
    public void attach(LicenseChannel next, IntConsumer announce) {
        synchronized (lock) {
            reserve = 0;
            refill = true;
            announce.accept(holdings);
            channel = next;
            lock.notifyAll();
        }
    }

    public void detach(LicenseChannel old) {
        synchronized (lock) {
            if (channel == old) {
                channel = null;
                reserve = 0;
            }
        }
    }

    /** Under the lock: makes sure an idle check will run while a reserve is held. */
    private void scheduleIdleCheck() {
        if (idleCheckScheduled || reserve == 0 || leaseIdleNanos == 0 || idleTimer == null) {
            return;
        }
        long due = lastLocalUseNanos + leaseIdleNanos - System.nanoTime();
        try {
            idleTimer.schedule(this::idleCheck, Math.max(0, due), TimeUnit.NANOSECONDS);
            idleCheckScheduled = true;
        } catch (RejectedExecutionException e) {
            // the runtime is closing: the reserve goes with its link
        }
    }

    private void idleCheck() {
        synchronized (lock) {
            idleCheckScheduled = false;
            if (reserve == 0 || channel == null) {
                return;
            }
            if (System.nanoTime() - lastLocalUseNanos >= leaseIdleNanos) {
                channel.release(reserve);
                reserve = 0;
            } else {
                scheduleIdleCheck();
            }
        }
    }

    private LicenseChannel awaitChannel(long deadline) throws InterruptedException {
        synchronized (lock) {
            while (channel == null) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    events.warn(EventKind.LICENSE, "license acquisition timed out: no supervisor");
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, remaining);
            }
            return channel;
        }
    }
}
