package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A child's watch on its parent monitor (upward restart, seed 0087/0127): if the parent has not polled within the
 * timeout, wait a random back-off, then start a new parent unless a notice says another child already did: the notice
 * is the parent position's fence in the store, which every starting monitor takes first, so a grant newer than the
 * last polling parent's means a parent is on its way. A child takes such a grant just before it starts one (the
 * broadcast of seed 0127), then gives the new parent a launch grace to poll ({@link ParentRestartPacing}).
 */
public final class ParentWatch extends LifeCycle<RuntimeException> {

    private static final System.Logger LOG = System.getLogger(ParentWatch.class.getName());
    static final Duration CHECK_PERIOD = Duration.ofMillis(50);

    private final String child;
    private final String parentPosition;
    private final Supplier<Optional<Instant>> lastPolled;
    private final Supplier<Long> polledEpoch; // the best polling parent's fencing epoch (0: none, or not known)
    private final Supplier<Optional<String>> parentLink;
    private final Thread linkThread;
    private volatile java.net.Socket link;
    private volatile boolean lost;
    private final Duration timeout;
    private final Duration hungAfter;
    private final RequestSigner signer;
    private final Supplier<Optional<String>> liveHolder;
    private final Duration maxBackoff;
    private final CoordinatorStore store;
    private final Callable<String> starter; // starts a parent monitor (or says why not), for the log
    private final Clock clock;
    private final Random random;
    private final ScheduledExecutorService timer;
    private Instant quietSince;
    private long epochAtQuiet;
    private Instant waitUntil;
    private boolean noticeRead;
    private boolean startedByThisChild; // the parent awaited; if it never polls, the start counts as unanswered
    private int unansweredStarts;
    /** Whether the parent awaited was just launched; launches in a row that never polled (each doubles the grace). */
    private boolean awaitingLaunch;
    private int unpolledLaunches;

    /**
     * @param parentLink the death-watch endpoint ({@code host:port}) of the parent that polls the child, once known
     * @param silence    how long the parent may stay silent, and how the child greets it on the link
     */
    public static ParentWatch watch(String child, String parentPosition, Supplier<Optional<Instant>> lastPolled,
            Supplier<Optional<String>> parentLink, ParentSilence silence, Duration maxBackoff, CoordinatorStore store,
            Callable<String> starter, Clock clock, Random random) {
        ParentWatch watch = new ParentWatch(child, parentPosition, lastPolled, () -> 0L, parentLink, silence,
                maxBackoff, store, starter, clock, random);
        watch.start();
        return watch;
    }

    /**
     * A watch of {@code child} (a node's agent or a monitor position) running on {@code node} that starts
     * {@code parent} (on this node if it may run here, else on one of its candidates).
     */
    public static ParentWatch ofPlan(ClusterPlan plan, Path home, String child, String node, MonitorPosition parent,
            ParentPolls polls, CoordinatorStore store, ClusterWire wire) {
        Duration poll = plan.pollInterval();
        Random random = new Random();
        Launcher launcher = new Launcher(plan, home);
        // the death-watch link shows a death at once; silence (hung parents) must outlast a healthy parent's longest
        // gap between polls: two intervals plus one poll timeout. A back-off of up to half an interval spreads children
        Duration silence = poll.multipliedBy(2).plus(Duration.ofMillis(Math.max(1_000, poll.toMillis() * 2)));
        ParentWatch watch = new ParentWatch(child, parent.position(), () -> polls.lastPolled(parent.position()),
                () -> polls.best(parent.position()).epoch(), () -> polls.parentLink(parent.position()),
                new ParentSilence(silence, WatchSocket.hungAfter(poll), wire.signer(),
                        () -> LiveHolder.of(store, parent.position(), wire)), poll.dividedBy(2), store,
                () -> ParentLaunch.launch(plan, store, launcher, parent, node, random), Clock.systemUTC(), random);
        watch.start();
        return watch;
    }

    private ParentWatch(String child, String parentPosition, Supplier<Optional<Instant>> lastPolled,
            Supplier<Long> polledEpoch, Supplier<Optional<String>> parentLink, ParentSilence silence,
            Duration maxBackoff, CoordinatorStore store, Callable<String> starter, Clock clock, Random random) {
        super("watch of " + child + " on " + parentPosition);
        this.child = child;
        this.parentPosition = parentPosition;
        this.lastPolled = lastPolled;
        this.polledEpoch = polledEpoch;
        this.parentLink = parentLink;
        this.linkThread = new NamedThreads("parent-link-" + child).newThread(this::watchLink);
        this.timeout = silence.timeout();
        this.hungAfter = silence.hungAfter().compareTo(timeout) > 0 ? silence.hungAfter() : timeout;
        this.signer = silence.signer();
        this.liveHolder = silence.liveHolder();
        this.maxBackoff = maxBackoff;
        this.store = store;
        this.starter = starter;
        this.clock = clock;
        this.random = random;
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("parent-watch-" + child));
        this.quietSince = clock.instant();
    }

    /** Begins watching: a look at the last poll time every 50 ms (at most every quarter timeout). */
    @Override
    protected void doStart() {
        long period = Math.max(5, Math.min(CHECK_PERIOD.toMillis(), timeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        linkThread.start();
    }

    /**
     * Keeps a connection to the parent's death-watch socket and blocks reading it: the kernel's close of a dead
     * parent's socket ends the read at once, and the silence counts as the full timeout. Reconnects when a parent with
     * another endpoint polls.
     */
    private void watchLink() {
        String dead = null;
        while (!isStopped()) {
            String endpoint = parentLink.get().orElse(null);
            if (endpoint == null || endpoint.equals(dead)) {
                java.util.concurrent.locks.LockSupport.parkNanos(CHECK_PERIOD.toNanos()); // close() interrupts
                continue;
            }
            int colon = endpoint.lastIndexOf(':');
            int farewell = -1;
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(endpoint.substring(0, colon),
                        Integer.parseInt(endpoint.substring(colon + 1))), (int) Math.max(100, timeout.toMillis()));
                socket.getOutputStream().write(WatchGreeting.of(signer, child, endpoint));
                link = socket;
                farewell = socket.getInputStream().read(); // blocks until the parent leaves
            } catch (IOException | RuntimeException e) {
                // refused, reset or closed: the same as EOF below
            }
            link = null;
            if (isStopped()) {
                return;
            }
            dead = endpoint;
            if (farewell >= 0) {
                // the parent left on purpose (superseded, or stopped): the poll timeout decides, not this link
                continue;
            }
            if (parentLink.get().map(endpoint::equals).orElse(false)) {
                LOG.log(Level.INFO, "{0}: the link to parent {1} ({2}) closed: parent gone", child, parentPosition,
                        endpoint);
                lost = true;
            }
        }
    }

    private void check() {
        try {
            Instant now = clock.instant();
            Instant last = lastPolled.get().orElse(null);
            if (last != null && last.isAfter(quietSince)) {
                quietSince = last;
                noticeRead = false;
                waitUntil = null; // a parent polls: the grace given to one being started is over
                startedByThisChild = false;
                unansweredStarts = 0;
                awaitingLaunch = false;
                unpolledLaunches = 0;
            }
            if (waitUntil != null && now.isBefore(waitUntil)) {
                return;
            }
            Duration silent = Duration.between(quietSince, now);
            // the parent's process lives while the link is open: slow (a flood, a pause), not dead, until hungAfter
            Duration limit = link != null ? hungAfter : timeout;
            if (lost) {
                lost = false;
                silent = limit; // the kernel said so: no need to wait for the timeout
            }
            if (silent.compareTo(limit) < 0) {
                if (!noticeRead && silent.compareTo(timeout.dividedBy(2)) >= 0) {
                    // the notice as it stood when the silence began: read once per silence, not per check
                    epochAtQuiet = noticeBaseline();
                    noticeRead = true;
                }
                return;
            }
            if (!noticeRead) {
                epochAtQuiet = noticeBaseline();
                noticeRead = true;
            }
            if (awaitingLaunch) {
                awaitingLaunch = false;
                unpolledLaunches++;
            }
            if (startedByThisChild) {
                // the parent it started never polled: it may not be able to run on this node (a stalled old parent
                // can still hold its port here), so let another child start the next one
                startedByThisChild = false;
                unansweredStarts++;
            }
            long backoff = ParentRestartPacing.backoff(random.nextDouble(), maxBackoff, unansweredStarts)
                    + StandbyNotice.headStartMillis(store, parentPosition, maxBackoff.multipliedBy(2));
            LOG.log(Level.INFO, "{0}: parent {1} silent for {2} ms, starting one after a back-off of {3} ms{4}", child,
                    parentPosition, silent.toMillis(), backoff, unansweredStarts == 0 ? ""
                            : " (longer: the last " + unansweredStarts + " parent(s) it started never polled)");
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
            // a live holder is a parent whose polls are slow, not a dead one: the notice below would fence it off
            Optional<String> holder = epoch > epochAtQuiet ? Optional.empty() : liveHolder.get();
            if (epoch > epochAtQuiet || holder.isPresent()) {
                LOG.log(Level.INFO, "{0}: not starting a new {1}: {2}", child, parentPosition, holder.orElse(
                        "another child started one (epoch " + epoch + ")"));
                epochAtQuiet = epoch;
                quietSince = clock.instant();
                noticeRead = true;
                waitUntil = quietSince.plus(ParentRestartPacing.launchGrace(timeout, unpolledLaunches));
                awaitingLaunch = true;
                startedByThisChild = false;
                return;
            }
            // the notice: a grant for the parent's position, so children whose back-off ends later see it and stand
            // down (and a stalled old parent's writes are fenced off from now on)
            store.acquire(Monitor.scope(parentPosition), "notice: " + child + " starts a new monitor");
            epochAtQuiet = currentEpoch();
            String started = starter.call();
            LOG.log(Level.INFO, "{0}: parent {1}: {2}", child, parentPosition, started);
            quietSince = clock.instant();
            noticeRead = true;
            waitUntil = quietSince.plus(ParentRestartPacing.launchGrace(timeout, unpolledLaunches));
            awaitingLaunch = true;
            startedByThisChild = true;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "{0}: could not start parent {1}: {2}", child, parentPosition, e.toString());
        }
    }

    /**
     * The epoch a notice is seen against: the last polling parent's, when known, so a grant made before this child
     * noticed the silence still counts (else it starts a parent that supersedes one on its way; see cluster.md).
     */
    private long noticeBaseline() {
        long current = currentEpoch();
        long polled = polledEpoch.get();
        return polled > 0 ? Math.min(polled, current) : current;
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
    protected void doStop() {
        timer.shutdownNow();
        java.net.Socket socket = link;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        linkThread.interrupt();
    }
}
