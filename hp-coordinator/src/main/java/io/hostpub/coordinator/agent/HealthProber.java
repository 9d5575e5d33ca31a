package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.HealthCheck;
import io.hostpub.coordinator.api.job.JobIncident;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An agent's health looks at its running jobs ({@link HealthCheck}): a tick every 100 ms takes the running jobs from
 * the event thread and starts a {@link HealthLook} for each one that is due, on a small pool (a look may block for its
 * timeout). Results go back to the event thread ({@link Listener#looked}): they decide whether the job counts as up.
 * A job that failed {@code failures} looks in a row (after its start grace, counted from when the prober first saw the
 * process, or once it had passed) is hung: the evidence is collected here ({@link HangEvidence}), then the listener
 * kills it and the usual restart follows.
 */
final class HealthProber extends LifeCycle<RuntimeException> {

    private static final System.Logger LOG = System.getLogger(HealthProber.class.getName());
    private static final long TICK_MS = 100;

    /** A running job as the prober needs it. */
    record Running(String job, long pid, int httpPort, HealthCheck check) {
    }

    /** Where the results go (called on a health thread; the agent moves them onto its event thread). */
    interface Listener {
        void looked(String job, long pid, boolean passed);

        void hung(String job, long pid, JobIncident incident);
    }

    /** What the prober keeps per job process. */
    private static final class Track {
        final long pid;
        // the start grace counts from here: the kernel's start time of a process is known to a second at best
        final Instant firstSeen;
        Instant lastLook = Instant.EPOCH;
        boolean looking;
        boolean everPassed;
        int failedInRow;
        boolean reported;

        Track(long pid, Instant firstSeen) {
            this.pid = pid;
            this.firstSeen = firstSeen;
        }
    }

    private final String node;
    private final InetAddress address;
    private final Path workDir;
    private final Supplier<List<Running>> running;
    private final Listener listener;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor tick;
    private final ExecutorService looks;
    private final Map<String, Track> tracks = new HashMap<>(); // tick thread only

    /**
     * @param address where the jobs' HTTP ports are asked (the node's address; loopback when the agent binds all)
     * @param running the running jobs, taken from the event thread
     */
    HealthProber(String node, InetAddress address, Path workDir, Supplier<List<Running>> running, Listener listener,
            Clock clock) {
        super("health looks of " + node);
        this.node = node;
        this.address = address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
        this.workDir = workDir;
        this.running = running;
        this.listener = listener;
        this.clock = clock;
        this.tick = new ScheduledThreadPoolExecutor(1, new NamedThreads("agent-" + node + "-health"));
        this.looks = Executors.newFixedThreadPool(4, new NamedThreads("agent-" + node + "-health-look"));
    }

    @Override
    protected void doStart() {
        tick.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            List<Running> jobs = running.get();
            tracks.keySet().retainAll(jobs.stream().map(Running::job).toList());
            Instant now = clock.instant();
            for (Running job : jobs) {
                Track track = tracks.get(job.job());
                if (track == null || track.pid != job.pid()) {
                    track = new Track(job.pid(), now);
                    tracks.put(job.job(), track);
                }
                synchronized (track) {
                    if (track.looking || track.reported
                            || Duration.between(track.lastLook, now).toMillis() < job.check().intervalMs()) {
                        continue;
                    }
                    track.looking = true;
                }
                Track looked = track;
                looks.execute(() -> look(job, looked));
            }
        } catch (RuntimeException e) {
            if (!isStopped()) {
                LOG.log(Level.WARNING, "agent {0}: health tick failed: {1}", node, e.toString());
            }
        }
    }

    /** On a look thread: one look, then the verdict on the tick thread. */
    private void look(Running job, Track track) {
        HealthLook look = HealthLook.of(job.pid(), address, job.httpPort(), job.check());
        Instant at = clock.instant();
        listener.looked(job.job(), job.pid(), look.passed());
        boolean hung;
        synchronized (track) {
            track.lastLook = at;
            track.looking = false;
            if (look.passed()) {
                track.everPassed = true;
                track.failedInRow = 0;
                return;
            }
            boolean inGrace = !track.everPassed
                    && Duration.between(track.firstSeen, at).toMillis() < job.check().startGraceMs();
            if (inGrace) {
                return; // slow to start is not hung
            }
            track.failedInRow++;
            hung = track.failedInRow >= job.check().failures() && !track.reported;
            if (hung) {
                track.reported = true;
            }
        }
        if (hung) {
            String reason = look.reason() + " (" + job.check().failures() + " failed look(s) in a row, every "
                    + job.check().intervalMs() + " ms)";
            LOG.log(Level.WARNING, "agent {0}: job {1} (pid {2}) HUNG: {3}; collecting evidence", node, job.job(),
                    job.pid(), reason);
            listener.hung(job.job(), job.pid(), HangEvidence.collect(workDir, job.job(), job.pid(), reason, at));
        }
    }

    @Override
    protected void doStop() {
        tick.shutdownNow();
        looks.shutdownNow();
    }
}
