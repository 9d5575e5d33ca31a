package io.hostpub.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.MachineView;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos on one machine: 8 runtime JVMs that keep taking and returning license units against a limit of 12, and for
 * {@code hostpub.it.chaosSeconds} (30 in the default run, 120 with {@code -Pchaos}) about two events a second:
 * {@code kill -9} of a random instance (the supervisor half the time, each dead one restarted at once), or
 * {@code SIGSTOP} of one for 0.3-2 s and then {@code SIGCONT}, with the progress probe on (500 ms).
 * <p>
 * The invariants, each failing the test with the timeline of events:
 * <ol>
 *   <li>never two supervisors: no two processes' supervisor periods (from their role events, ended by their kill)
 *       overlap by more than one probe period;</li>
 *   <li>the registry lists exactly the live instances 1 s after the last event (an observer checks whenever the
 *       machine has been left alone that long; a restarted instance's event is its joining; after every 5 s of
 *       chaos the driver holds a quiet spell, resuming the stopped and waiting for such a check, so the invariant is
 *       checked at known points and not only when the random schedule happens to leave a gap);</li>
 *   <li>at quiescence the supervisor's tally equals the sum of what every instance says it holds, per instance;</li>
 *   <li>never more units held than the limit: the holding intervals the clones log (acquired -> about to release,
 *       or killed) never add up to more than 12 at any instant.</li>
 * </ol>
 * The seed is printed; {@code -Dhostpub.it.chaosSeed} replays a run's schedule. Stops and failovers overlap freely:
 * a supervisor may be killed while an instance is stopped, and an instance may be stopped while it elects (the new
 * supervisor then waits for the stopped member of its roster before it grants again).
 */
class ChaosTest {

    static final int CLONES = 8;
    static final int LIMIT = 12;
    static final long PROBE_MS = 500;
    static final long SECONDS = Long.getLong("hostpub.it.chaosSeconds", 30);
    static final long QUIET_MS = 1_000;
    /** Chaos time between two quiet spells; a spell's own time does not count towards the chaos time. */
    static final long QUIET_SPELL_EVERY_MS = 5_000;
    private static final Pattern ROLE = Pattern.compile("hostpub\\[[^\\]]+] ROLE @(\\d+) (\\w+) -> (\\w+)");
    private static final Pattern HOLD = Pattern.compile("^(ACQ|REL) (\\d+) @(\\d+)$");

    @TempDir
    Path home;

    private TestMachine machine;
    private final List<String> timeline = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CloneProcess> clones = new ConcurrentHashMap<>();
    private final Map<String, Long> killedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private volatile long lastEventMicros;
    private final java.util.concurrent.atomic.AtomicInteger registryChecks = new java.util.concurrent.atomic.AtomicInteger();
    private int mostHeld;
    private volatile long startMicros;
    private int counter;

    @AfterEach
    void tearDown() {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void killsAndPausesNeverBreakTheInvariants() throws Exception {
        long seed = Long.getLong("hostpub.it.chaosSeed", System.nanoTime());
        Random random = new Random(seed);
        machine = new TestMachine(home, "<hostpub><licenseLimit>" + LIMIT + "</licenseLimit><progressProbeMs>"
                + PROBE_MS + "</progressProbeMs><licenseWaitMs>2000</licenseWaitMs></hostpub>");
        startMicros = now();
        for (int i = 0; i < CLONES; i++) {
            start();
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            refreshJoined();
            return joined.containsAll(live());
        });
        event("all " + CLONES + " joined; chaos for " + SECONDS + " s, seed " + seed);

        Thread observer = new Thread(this::observe, "chaos-observer");
        observer.setDaemon(true);
        observer.start();
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        long nextSpell = System.nanoTime() + QUIET_SPELL_EVERY_MS * 1_000_000L;
        int kills = 0;
        int pauses = 0;
        int spells = 0;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextSpell) {
                long spent = quietSpell();
                spells++;
                end += spent;
                nextSpell = System.nanoTime() + QUIET_SPELL_EVERY_MS * 1_000_000L;
            }
            Thread.sleep((long) (-Math.log(1 - random.nextDouble()) * 500)); // ~2 events/s
            resumeDue(false);
            List<String> running = live().stream().filter(n -> !pausedUntil.containsKey(n)).toList();
            if (running.size() <= 3) {
                continue;
            }
            if (random.nextInt(10) < 6 || !pausedUntil.isEmpty()) {
                Optional<String> supervisor = currentSupervisor();
                String victim = random.nextBoolean() ? supervisor.orElse(pick(running, random)) : pick(running, random);
                kill(victim);
                kills++;
                start();
            } else {
                String victim = pick(running, random);
                long ms = 300 + random.nextInt(1_700);
                pausedUntil.put(victim, System.nanoTime() + ms * 1_000_000L);
                event("SIGSTOP " + victim + " for " + ms + " ms" + role(victim));
                clones.get(victim).pause();
                pauses++;
            }
        }
        resumeDue(true);
        event("chaos over: " + kills + " kills, " + pauses + " pauses");

        // quiescence: everyone joined and nothing happened for a second
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            refreshJoined();
            return joined.containsAll(live()) && now() - lastEventMicros > QUIET_MS * 1_000;
        });
        checkRegistry("at quiescence");
        observer.interrupt();
        observer.join(5_000);

        // the tally against what every instance says it holds
        Map<String, Integer> holding = new TreeMap<>();
        for (String name : live()) {
            send(clones.get(name), "hold");
        }
        for (String name : live()) {
            String line = await().atMost(Duration.ofSeconds(30)).until(() -> clones.get(name).logLines().stream()
                    .filter(l -> l.startsWith("HOLDING ")).findFirst(), Optional::isPresent).orElseThrow();
            int units = Integer.parseInt(line.substring("HOLDING ".length()));
            if (units > 0) {
                holding.put(name, units);
            }
        }
        int sum = holding.values().stream().mapToInt(Integer::intValue).sum();
        // a killed instance that was hung is noticed by the supervisor's watch on its pid (polled, under a second)
        long settleFrom = now();
        try {
            MachineView view = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(machine::view, v -> v.licenses().inUse() == sum
                            && perInstance(v).equals(holding));
            event("tally " + view.licenses().inUse() + "/" + LIMIT + " equals the holdings " + holding + ", settled "
                    + (now() - settleFrom) / 1000 + " ms after the holds");
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            MachineView view = machine.view();
            violations.add("tally " + view.licenses().inUse() + " " + perInstance(view) + " != holdings " + sum + " "
                    + holding);
        }

        checkSupervisorsNeverOverlap();
        checkLimitNeverExceeded();
        System.out.printf("CHAOS %d s, seed %d: %d kills, %d pauses, %d instances started, %d quiet spells, "
                + "%d registry checks, at most %d of %d units held at once, %d violations%n", SECONDS, seed, kills,
                pauses, counter, spells, registryChecks.get(), mostHeld, LIMIT, violations.size());
        assertThat(violations).as("invariants broken; timeline:%n%s", String.join("\n", timeline)).isEmpty();
        assertThat(kills).isPositive();
        // every spell ended with an observer check, and quiescence adds one
        assertThat(registryChecks.get()).as("registry checks at quiet moments").isGreaterThan(spells);
    }

    private static Map<String, Integer> perInstance(MachineView view) {
        Map<String, Integer> perInstance = new TreeMap<>();
        view.instances().stream().filter(i -> i.licensesInUse() > 0)
                .forEach(i -> perInstance.put(i.name(), i.licensesInUse()));
        return perInstance;
    }

    // ---- chaos --------------------------------------------------------------------------------------------

    private void start() {
        String name = "c" + (++counter);
        CloneProcess clone = CloneProcess.start(machine, name, List.of("-Dhostpub.instanceName=" + name),
                ChaosClone.class.getName(), List.of());
        machine.track(clone);
        clones.put(name, clone);
        timeline.add(stamp(now()) + " start " + name);
    }

    private void kill(String name) {
        String role = role(name);
        long at = now();
        // the event before the act: an observer check that overlaps the kill is then never taken for a violation
        event("kill -9 " + name + role, at);
        clones.get(name).kill9();
        killedAt.put(name, at);
        pausedUntil.remove(name);
    }

    /**
     * Leaves the machine alone until the observer has compared the registry with the live set once (everyone joined,
     * nothing paused, a second since the last event). Two events a second leave such a second only by chance, so
     * without spells invariant 2 would be checked a random number of times, perhaps never before quiescence.
     * An instance that never joins shows up as a violation with the timeline.
     *
     * @return the nanoseconds the spell took
     */
    private long quietSpell() {
        long from = System.nanoTime();
        resumeDue(true);
        event("quiet spell");
        int before = registryChecks.get();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> registryChecks.get() > before);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            refreshJoined();
            violations.add(stamp(now()) + " no quiet moment within 60 s of a quiet spell: live " + live()
                    + ", joined " + new TreeSet<>(joined));
        }
        return System.nanoTime() - from;
    }

    private void resumeDue(boolean all) {
        for (var entry : Map.copyOf(pausedUntil).entrySet()) {
            if (all || System.nanoTime() >= entry.getValue()) {
                clones.get(entry.getKey()).resume();
                pausedUntil.remove(entry.getKey());
                event("SIGCONT " + entry.getKey());
            }
        }
    }

    private List<String> live() {
        return clones.entrySet().stream().filter(e -> e.getValue().isAlive() && !killedAt.containsKey(e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private static String pick(List<String> names, Random random) {
        return names.get(random.nextInt(names.size()));
    }

    private Optional<String> currentSupervisor() {
        return live().stream().filter(n -> "SUPERVISOR".equals(lastRole(clones.get(n)))).findFirst();
    }

    private String role(String name) {
        String role = lastRole(clones.get(name));
        return role == null ? "" : " (" + role.toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private static String lastRole(CloneProcess clone) {
        String role = null;
        for (String line : clone.logLines()) {
            Matcher m = ROLE.matcher(line);
            if (m.find()) {
                role = m.group(3);
            }
        }
        return role;
    }

    // ---- observation --------------------------------------------------------------------------------------

    /** Marks instances that have taken a role; their joining is an event (a JVM start takes longer than 1 s). */
    private void refreshJoined() {
        for (String name : live()) {
            if (!joined.contains(name)) {
                for (String line : clones.get(name).logLines()) {
                    Matcher m = ROLE.matcher(line);
                    if (m.find() && (m.group(3).equals("SUPERVISOR") || m.group(3).equals("SUBORDINATE"))) {
                        joined.add(name);
                        event(name + " joined as " + m.group(3).toLowerCase(java.util.Locale.ROOT),
                                Long.parseLong(m.group(1)));
                        break;
                    }
                }
            }
        }
    }

    /** Whenever the machine has been left alone for a second, the registry must list exactly the live set. */
    private void observe() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(100);
                refreshJoined();
                long since = lastEventMicros;
                if (!pausedUntil.isEmpty() || !joined.containsAll(live()) || now() - since < QUIET_MS * 1_000) {
                    continue;
                }
                checkRegistry("observer, " + (now() - since) / 1000 + " ms after the last event", since);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkRegistry(String when) {
        checkRegistry(when, lastEventMicros);
    }

    private void checkRegistry(String when, long eventClock) {
        Set<String> listed;
        try {
            listed = machine.registryNames().stream().filter(n -> !n.equals("main"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            listed = Set.of("<unreachable: " + e.getMessage() + ">");
        }
        Set<String> expected = new TreeSet<>(live());
        if (lastEventMicros != eventClock || !pausedUntil.isEmpty()) {
            return; // something happened during the check: it proves nothing either way, and is not counted
        }
        registryChecks.incrementAndGet();
        if (!listed.equals(expected)) {
            violations.add(stamp(now()) + " registry " + listed + " != live " + expected + " (" + when + ")");
            event("VIOLATION: registry " + listed + " != live " + expected);
            explain(listed, expected);
        }
    }

    /**
     * Puts on the timeline what the clones themselves said about each name the registry and the live set disagree
     * on: the last lines of its own log, and what the supervisor logged about it (why it unbound it, if it did).
     */
    private void explain(Set<String> listed, Set<String> expected) {
        Set<String> differing = new TreeSet<>(listed);
        differing.addAll(expected);
        differing.removeIf(n -> listed.contains(n) && expected.contains(n));
        Optional<String> supervisor = currentSupervisor();
        for (String name : differing) {
            CloneProcess clone = clones.get(name);
            if (clone != null) {
                List<String> lines = clone.logLines();
                lines.subList(Math.max(0, lines.size() - 8), lines.size())
                        .forEach(line -> note("  " + name + " said: " + line));
            }
            supervisor.map(clones::get).ifPresent(s -> s.logLines().stream().filter(l -> l.contains(name))
                    .reduce((a, b) -> b).ifPresent(line -> note("  supervisor said about " + name + ": " + line)));
        }
    }

    /** Invariant 1, from every process's role events; a supervisor period ends at its next role change or kill. */
    private void checkSupervisorsNeverOverlap() {
        List<long[]> periods = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        long end = now();
        for (var entry : clones.entrySet()) {
            long from = -1;
            for (String line : entry.getValue().logLines()) {
                Matcher m = ROLE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                long at = Long.parseLong(m.group(1));
                if (m.group(3).equals("SUPERVISOR")) {
                    from = at;
                } else if (from >= 0 && m.group(2).equals("SUPERVISOR")) {
                    periods.add(new long[] {from, at});
                    owners.add(entry.getKey());
                    from = -1;
                }
            }
            if (from >= 0) {
                periods.add(new long[] {from, killedAt.getOrDefault(entry.getKey(), end)});
                owners.add(entry.getKey());
            }
        }
        for (int a = 0; a < periods.size(); a++) {
            for (int b = a + 1; b < periods.size(); b++) {
                long overlap = Math.min(periods.get(a)[1], periods.get(b)[1])
                        - Math.max(periods.get(a)[0], periods.get(b)[0]);
                if (overlap > PROBE_MS * 1_000) {
                    violations.add("two supervisors for " + overlap / 1000 + " ms: " + owners.get(a) + " "
                            + span(periods.get(a)) + " and " + owners.get(b) + " " + span(periods.get(b)));
                }
            }
        }
    }

    /** Invariant 4: a sweep over every logged holding interval; a kill ends the victim's holdings. */
    private void checkLimitNeverExceeded() {
        TreeMap<Long, Integer> deltas = new TreeMap<>();
        for (var entry : clones.entrySet()) {
            int held = 0;
            for (String line : entry.getValue().logLines()) {
                Matcher m = HOLD.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                int units = Integer.parseInt(m.group(2));
                long at = Long.parseLong(m.group(3));
                if (m.group(1).equals("ACQ")) {
                    deltas.merge(at, units, Integer::sum);
                    held += units;
                } else {
                    // ends at the release log, before the release itself: never later than the real end
                    deltas.merge(at, -units, Integer::sum);
                    held -= units;
                }
            }
            Long killed = killedAt.get(entry.getKey());
            if (killed != null && held > 0) {
                deltas.merge(killed, -held, Integer::sum);
            }
        }
        int inUse = 0;
        for (var delta : deltas.entrySet()) {
            inUse += delta.getValue();
            mostHeld = Math.max(mostHeld, inUse);
            if (inUse > LIMIT) {
                violations.add(stamp(delta.getKey()) + " " + inUse + " units held at once, limit " + LIMIT);
                return;
            }
        }
    }

    // ---- timeline -----------------------------------------------------------------------------------------

    private void event(String what) {
        event(what, now());
    }

    /** On the timeline without being an event: what was read to explain one, which must not delay later checks. */
    private void note(String what) {
        timeline.add(stamp(now()) + " " + what);
    }

    private void event(String what, long at) {
        lastEventMicros = Math.max(lastEventMicros, at);
        timeline.add(stamp(at) + " " + what);
    }

    private String stamp(long micros) {
        return String.format("%8.3f s", (micros - startMicros) / 1e6);
    }

    private String span(long[] period) {
        return "[" + stamp(period[0]).trim() + " .. " + stamp(period[1]).trim() + "]";
    }

    private static long now() {
        return ChaosClone.micros();
    }

    private static void send(CloneProcess clone, String line) throws IOException {
        OutputStream in = clone.stdin();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }
}
