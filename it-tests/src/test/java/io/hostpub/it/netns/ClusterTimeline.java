package io.hostpub.it.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The invariants of a cluster on the test bed, checked throughout a test from the process table (shared by the
 * machines, so every machine's processes are seen at once; a job is a process with the plan's marker in its
 * environment, {@link #MARKER_VARIABLE}), every 200 ms on a daemon thread, with a timeline of what
 * appeared and went and of the test's own events, printed with any violation.
 *
 * <ul>
 *   <li>A job slot (application/member, read from the {@code HOSTPUB_JOB} of its process) never runs twice on one
 *       node.</li>
 *   <li>While the cluster is settled (the test says when: after its convergence wait, until its next disruption),
 *       every slot runs at most once in the whole cluster.</li>
 *   <li>After each convergence, the coordinators come down to one process per position
 *       ({@link #oneCoordinatorPerPosition}: a duplicate started in a race lives PASSIVE until its polls show it a
 *       better election value; it never acts, since it cannot confirm its fence).</li>
 * </ul>
 *
 * During a partition a cut-off machine's jobs keep serving while the majority places them again, and a cut-off
 * coordinator lives on (PASSIVE) beside its successor: that is what "unsettled" covers, and healing must end it.
 */
final class ClusterTimeline implements AutoCloseable {

    private final String marker;
    private final Path installation;
    private final long start = System.nanoTime();
    private final List<String> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<Long, String> jobs = new HashMap<>();
    private final Map<Long, String> coordinators = new HashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final Thread sampler;
    private Map<String, Long> coordinatorCounts = Map.of();
    private volatile boolean settled;
    private volatile boolean running = true;

    private ClusterTimeline(String marker, Path installation) {
        this.marker = marker;
        this.installation = installation;
        this.sampler = new Thread(this::sampleLoop, "hostpub-test-timeline");
        sampler.setDaemon(true);
    }

    /** Starts watching the jobs (their command holds {@code marker}) and coordinators of {@code installation}. */
    static ClusterTimeline watch(String marker, Path installation) {
        ClusterTimeline timeline = new ClusterTimeline(marker, installation);
        timeline.sampler.start();
        return timeline;
    }

    /** The cluster has converged: from now on the cluster-wide invariants hold. */
    synchronized void settled(String why) {
        event("SETTLED: " + why);
        settled = true;
        sample(); // holds right now, not only from the next tick
    }

    /** The test disturbs the cluster: the cluster-wide invariants are off until {@link #settled}. */
    synchronized void disturbed(String what) {
        settled = false;
        event("DISTURBED: " + what);
    }

    /** How many processes were started for each slot since watching began (the first one included). */
    synchronized Map<String, Integer> jobStarts() {
        return Map.copyOf(starts);
    }

    /** The timeline so far, violations marked. */
    @Override
    public synchronized String toString() {
        return "timeline:\n  " + String.join("\n  ", events);
    }

    /**
     * One coordinator process per position now. Not an invariant checked at every sample: a coordinator started in a
     * race lives until its first polls show it a better election value (then it leaves), PASSIVE and never acting
     * meanwhile (it cannot confirm its fence); the test waits for this after each convergence.
     */
    synchronized boolean oneCoordinatorPerPosition() {
        sample();
        return coordinatorCounts.values().stream().allMatch(n -> n == 1);
    }

    /** No invariant was violated so far. */
    synchronized boolean holding() {
        return violations.isEmpty();
    }

    /** Fails with the timeline if any invariant was violated. */
    synchronized void assertHeld() {
        sample();
        if (!violations.isEmpty()) {
            throw new AssertionError("cluster invariants violated:\n  " + String.join("\n  ", violations) + "\n"
                    + this);
        }
    }

    private void sampleLoop() {
        while (running) {
            synchronized (this) {
                sample();
            }
            try {
                Thread.sleep(200); // a sampling period, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        Map<Long, String> nowJobs = new HashMap<>();
        Map<Long, String> nowCoordinators = new HashMap<>();
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            if (isJob(p, marker)) {
                String slot = environment(p.pid()).getOrDefault("HOSTPUB_JOB", "?") + " on "
                        + environment(p.pid()).getOrDefault("HOSTPUB_NODE", "?");
                nowJobs.put(p.pid(), slot);
            } else if (p.info().command().map(c -> c.endsWith("/java")).orElse(false) // not a launcher script
                    && args.contains("monitor") && args.contains(installation.toString())
                    && args.indexOf("--position") >= 0 && args.indexOf("--position") + 1 < args.size()) {
                nowCoordinators.put(p.pid(), args.get(args.indexOf("--position") + 1));
            }
        });
        track("job", jobs, nowJobs, true);
        track("coordinator", coordinators, nowCoordinators, false);
        check(nowJobs.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())),
                "job slot on one node", true);
        check(nowJobs.values().stream().collect(Collectors.groupingBy(s -> s.substring(0, s.indexOf(" on ")),
                Collectors.counting())), "job slot in the cluster", settled);
        coordinatorCounts = nowCoordinators.values().stream().collect(Collectors.groupingBy(s -> s,
                Collectors.counting()));
    }

    private void track(String kind, Map<Long, String> known, Map<Long, String> now, boolean countStarts) {
        now.forEach((pid, what) -> {
            if (!known.containsKey(pid)) {
                event("+ " + kind + " " + what + " pid " + pid);
                if (countStarts) {
                    starts.merge(what.substring(0, what.indexOf(" on ")), 1, Integer::sum);
                }
            }
        });
        new HashSet<>(known.keySet()).stream().filter(pid -> !now.containsKey(pid))
                .forEach(pid -> event("- " + kind + " " + known.get(pid) + " pid " + pid));
        known.clear();
        known.putAll(now);
    }

    private void check(Map<String, Long> counts, String what, boolean applies) {
        if (!applies) {
            return;
        }
        Set<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        for (String name : twice) {
            String violation = stamp() + " " + what + " " + name + " runs " + counts.get(name) + " times";
            if (violations.stream().noneMatch(v -> v.endsWith(violation.substring(violation.indexOf(' '))))) {
                violations.add(violation);
                events.add(violation + "  <-- VIOLATION");
            }
        }
    }

    /** The variable the test's plan gives every job, so its processes are told apart whatever their command. */
    static final String MARKER_VARIABLE = "HOSTPUB_IT_MARKER";

    /** Whether {@code process} is a job of the cluster whose plan marks its jobs with {@code marker}. */
    static boolean isJob(ProcessHandle process, String marker) {
        return marker.equals(environment(process.pid()).get(MARKER_VARIABLE));
    }

    /** The live process of job {@code slot} (application/member) that the agent of {@code node} started, if any. */
    static java.util.Optional<ProcessHandle> job(String marker, String slot, String node) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> isJob(p, marker))
                .filter(p -> slot.equals(environment(p.pid()).get("HOSTPUB_JOB"))
                        && node.equals(environment(p.pid()).get("HOSTPUB_NODE"))).findFirst();
    }

    private static Map<String, String> environment(long pid) {
        Map<String, String> environment = new HashMap<>();
        try {
            for (String entry : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    StandardCharsets.UTF_8).split("\0")) {
                int equals = entry.indexOf('=');
                if (equals > 0 && entry.startsWith("HOSTPUB_")) {
                    environment.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            // gone meanwhile: the next sample no longer lists it
        }
        return environment;
    }

    private void event(String what) {
        events.add(stamp() + " " + what);
    }

    private String stamp() {
        return String.format("%8.1f s", Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
