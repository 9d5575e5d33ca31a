package io.hostpub.runtime.license;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.runtime.events.EventLog;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * One instance's license holdings and its way to the machine-wide tally. During an election there is no
 * channel: {@link #acquire} waits for one up to {@code waitMs}, then fails clearly.
 *
 * <p>The holdings count and the channel change under one lock, so a (re-)announce sends exactly the units
 * held, and a grant that arrives after its requester gave up is handed straight back.
 */
public final class Licenses {

    private final EventLog events;
    private final long waitMs;
    private final Object lock = new Object();
    private int holdings;
    private LicenseChannel channel;

    public Licenses(EventLog events, long waitMs) {
        this.events = events;
        this.waitMs = waitMs;
    }

    /** Acquires units machine-wide, waiting up to the configured time for a supervisor. */
    public void acquire(int units) throws LicenseException, InterruptedException {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive: " + units);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            LicenseChannel current = awaitChannel(deadline);
            if (current == null) {
                throw new LicenseException("no supervisor elected within " + waitMs
                        + " ms (licenseWaitMs); " + units + " license unit(s) not acquired");
            }
            CompletableFuture<Void> grant = current.request(units);
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

    public void release(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive: " + units);
        }
        synchronized (lock) {
            if (units > holdings) {
                throw new IllegalStateException("releasing " + units + " unit(s) but holding " + holdings);
            }
            holdings -= units;
            if (channel != null) {
                channel.release(units);
            }
        }
    }

    public int holdings() {
        synchronized (lock) {
            return holdings;
        }
    }

    /**
     * Called by a channel when units were granted. Returns false (and the caller hands them back) if the
     * request was given up meanwhile.
     */
    public boolean granted(CompletableFuture<Void> request, int units) {
        synchronized (lock) {
            if (!request.complete(null)) {
                return false;
            }
            holdings += units;
            return true;
        }
    }

    /**
     * Attaches a channel, passing the current holdings to {@code announce} under the lock so no acquire or
     * release slips between the announced figure and the channel.
     */
    public void attach(LicenseChannel next, IntConsumer announce) {
        synchronized (lock) {
            announce.accept(holdings);
            channel = next;
            lock.notifyAll();
        }
    }

    public void detach(LicenseChannel old) {
        synchronized (lock) {
            if (channel == old) {
                channel = null;
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
