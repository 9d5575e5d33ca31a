package io.hostpub.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostpub.testing.TestBed;
import io.hostpub.testing.TestMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invariants of each machine of a test bed, checked throughout a test: {@link ViewSampler} on the operator's
 * machine asks every machine for its view five times a second, and each answer taken at least {@link #GRACE_MS}
 * after the last event must show
 * <ul>
 *   <li>a registry that is exactly the machine's live instances, each with its process's pid (an instance counts
 *       from the first view that listed it: a JVM's start is not an event with a known end), and</li>
 *   <li>a license tally equal to the sum of the instances' holdings.</li>
 * </ul>
 * Events are what the test does ({@link #event}) and what this timeline sees change by itself: an instance listed
 * for the first time, or one that is no longer alive. A machine the test cut off ({@link #down}) is not checked until
 * it is back ({@link #up}, an event too); its bounded errors are the test's own assertions. Answers that failed are
 * put on the timeline, not counted as violations: a failed answer shows no registry to disagree with.
 */
final class MachineTimeline implements AutoCloseable {

    /** How long after an event every machine must be consistent again (issue 13: "1 s after each event"). */
    static final long GRACE_MS = 1_000;
    static final long PERIOD_MS = 200;

    private final Map<String, TestMachine> machines;
    private final Process sampler;
    private final Thread reader;
    private final long start = System.currentTimeMillis();
    private final List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Set<String>> everListed = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> members = new ConcurrentHashMap<>();
    private final Map<String, Long> lastChange = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
    private final Map<String, String> lastError = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private volatile long lastEvent = start;

    private MachineTimeline(Map<String, TestMachine> machines, Process sampler) {
        this.machines = machines;
        this.sampler = sampler;
        this.reader = new Thread(this::read, "hostpub-test-machine-timeline");
        reader.setDaemon(true);
    }

    /**
     * Starts the sampler on {@code operator} with the installation's {@code secret}, for {@code machines} by address.
     */
    static MachineTimeline watch(TestBed.Host operator, Path secret, Map<String, TestMachine> machines)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ViewSampler.class.getName(), secret.toString(),
                String.valueOf(PERIOD_MS)));
        command.addAll(machines.keySet());
        Process process = new ProcessBuilder(operator.command(command)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        MachineTimeline timeline = new MachineTimeline(Map.copyOf(machines), process);
        machines.keySet().forEach(address -> timeline.checks.put(address, new AtomicInteger()));
        timeline.reader.start();
        return timeline;
    }

    /** Something the test did: every machine gets {@link #GRACE_MS} before it is checked again. */
    void event(String what) {
        lastEvent = System.currentTimeMillis();
        note(lastEvent, what);
    }

    /** The test cut {@code address} off (or crashed it): not checked until {@link #up}. */
    void down(String address, String what) {
        down.add(address);
        event(what);
    }

    void up(String address, String what) {
        event(what);
        down.remove(address);
    }

    /** No violation on the timeline, and every machine was checked at least once. */
    void assertHeld() {
        Map<String, Integer> counted = new TreeMap<>();
        checks.forEach((address, count) -> counted.put(address, count.get()));
        String printed = String.join("\n", List.copyOf(timeline));
        System.out.println("[testbed] machine invariants, checks per machine " + counted + ", timeline:\n" + printed);
        assertThat(List.copyOf(violations)).as("machine invariants broken; checks %s; timeline:%n%s", counted, printed)
                .isEmpty();
        assertThat(counted.values()).as("every machine checked at least once: %s", counted).allMatch(n -> n > 0);
    }

    @Override
    public void close() {
        sampler.destroyForcibly();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sampler.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                try {
                    sample(OnHost.JSON.readTree(line));
                } catch (IOException e) {
                    note(System.currentTimeMillis(), "unreadable sample: " + line);
                }
            }
        } catch (IOException e) {
            // the sampler was stopped
        }
    }

    private void sample(JsonNode sample) {
        String address = sample.get("machine").asText();
        long at = sample.get("at").asLong();
        if (down.contains(address)) {
            return;
        }
        if (sample.has("error")) {
            String error = sample.get("error").asText();
            if (!error.equals(lastError.put(address, error))) {
                note(at, address + ": no view (" + error + ")");
            }
            return;
        }
        lastError.remove(address);
        JsonNode view = sample.get("view");
        Map<String, Long> listed = new TreeMap<>();
        int held = 0;
        for (JsonNode instance : view.get("instances")) {
            listed.put(instance.get("name").asText(), instance.get("pid").asLong());
            held += instance.get("licensesInUse").asInt();
        }
        Set<String> seen = everListed.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet());
        seen.addAll(listed.keySet());
        Map<String, Long> expected = new TreeMap<>();
        machines.get(address).live().stream().filter(clone -> seen.contains(clone.name()))
                .forEach(clone -> expected.put(clone.name(), clone.pid()));
        long now = System.currentTimeMillis();
        if (!expected.equals(members.put(address, expected))) {
            lastChange.put(address, now);
            note(now, address + ": live and listed " + expected.keySet());
        }
        if (at < lastEvent + GRACE_MS || at < lastChange.get(address) + GRACE_MS) {
            return; // too soon after an event to demand anything
        }
        checks.get(address).incrementAndGet();
        if (!listed.equals(expected)) {
            violation(at, address + ": registry " + listed + " != live " + expected);
        }
        int inUse = view.get("licenses").get("inUse").asInt();
        if (inUse != held) {
            violation(at, address + ": license tally " + inUse + " != the sum of the holdings " + held + " (" + view
                    + ")");
        }
    }

    private void violation(long at, String what) {
        violations.add(String.format("%8.3f s %s", (at - start) / 1e3, what));
        note(at, "VIOLATION: " + what);
    }

    private void note(long at, String what) {
        timeline.add(String.format("%8.3f s %s", (at - start) / 1e3, what));
    }
}
