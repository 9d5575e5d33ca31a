package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A child's watch on its parent monitor (upward restart, seed 0087/0127): if the parent has not polled within the
 * timeout, wait a random back-off, then start a new parent unless a notice says another child already did: the notice
 * is the parent position's fence in the store, which every starting monitor takes first, so a grant newer than the
 * one seen when the silence began means a parent is on its way. A child takes such a grant itself just before it
 * starts one (the broadcast of seed 0127). After starting one, it gives the new parent a full timeout to poll.
 */
public final class ParentWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ParentWatch.class.getName());
    static final Duration MIN_LAUNCH_GRACE = Duration.ofSeconds(5);

    /** Starts a parent monitor; returns a description for the log. */
    public interface ParentStarter {
        String start() throws Exception;
    }

    private final String child;
    private final String parentPosition;
    private final Supplier<Optional<Instant>> lastPolled;
    private final Duration timeout;
    private final Duration maxBackoff;
    private final CoordinatorStore store;
    private final ParentStarter starter;
    private final Clock clock;
    private final Random random;
    private final ScheduledExecutorService timer;
    private Instant quietSince;
    private long epochAtQuiet;
    private Instant waitUntil;

    public ParentWatch(String child, String parentPosition, Supplier<Optional<Instant>> lastPolled, Duration timeout,
            Duration maxBackoff, CoordinatorStore store, ParentStarter starter, Clock clock, Random random) {
        this.child = child;
        this.parentPosition = parentPosition;
        this.lastPolled = lastPolled;
        this.timeout = timeout;
        this.maxBackoff = maxBackoff;
        this.store = store;
        this.starter = starter;
        this.clock = clock;
        this.random = random;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "parent-watch-" + child);
            thread.setDaemon(true);
            return thread;
        });
        this.timer = executor;
        this.quietSince = clock.instant();
    }

    /** Begins watching (checks every quarter timeout). */
    public ParentWatch start() {
        long period = Math.max(10, timeout.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        try {
            Instant now = clock.instant();
            Instant last = lastPolled.get().orElse(null);
            if (last != null && last.isAfter(quietSince)) {
                quietSince = last;
            }
            if (waitUntil != null && now.isBefore(waitUntil)) {
                return;
            }
            if (Duration.between(quietSince, now).compareTo(timeout) < 0) {
                epochAtQuiet = currentEpoch();
                return;
            }
            long backoff = maxBackoff.toMillis() <= 0 ? 0 : (long) (random.nextDouble() * maxBackoff.toMillis());
            LOG.log(Level.INFO, "{0}: parent {1} silent for {2} ms, starting one after a back-off of {3} ms", child,
                    parentPosition, Duration.between(quietSince, now).toMillis(), backoff);
            timer.schedule(this::startUnlessNoticed, backoff, TimeUnit.MILLISECONDS);
            waitUntil = now.plus(timeout).plusMillis(backoff);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, child + ": parent watch failed", e);
        }
    }

    private void startUnlessNoticed() {
        try {
            Instant last = lastPolled.get().orElse(null);
            if (last != null && last.isAfter(quietSince)) {
                return; // the parent (or a new one) polled during the back-off
            }
            long epoch = currentEpoch();
            if (epoch > epochAtQuiet) {
                LOG.log(Level.INFO, "{0}: a new {1} was started by another child (epoch {2}), not starting one",
                        child, parentPosition, epoch);
                epochAtQuiet = epoch;
                quietSince = clock.instant();
                waitUntil = quietSince.plus(launchGrace());
                return;
            }
            // the notice: a grant for the parent's position, so children whose back-off ends later see it and stand
            // down (and a stalled old parent's writes are fenced off from now on)
            store.acquire(Monitor.scope(parentPosition), "notice: " + child + " starts a new monitor");
            epochAtQuiet = currentEpoch();
            String started = starter.start();
            LOG.log(Level.INFO, "{0}: started parent {1}: {2}", child, parentPosition, started);
            quietSince = clock.instant();
            waitUntil = quietSince.plus(launchGrace());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "{0}: could not start parent {1}: {2}", child, parentPosition, e.toString());
        }
    }

    /** How long a parent started by anyone gets to begin polling before another is started: a JVM start or more. */
    private Duration launchGrace() {
        return timeout.compareTo(MIN_LAUNCH_GRACE) > 0 ? timeout : MIN_LAUNCH_GRACE;
    }

    private long currentEpoch() {
        try {
            return store.current(Monitor.scope(parentPosition)).map(Fence::epoch).orElse(0L);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "{0}: cannot read the notice of {1}: {2}", child, parentPosition, e.toString());
            return Long.MAX_VALUE; // the store is unreachable: starting monitors that cannot take a fence is useless
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
