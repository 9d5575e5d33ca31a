package io.hostpub.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.ZooKeeperProcess;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machine-wide license grants: 8 runtime JVMs, each with {@code bench.licenseThreads} threads looping
 * acquire(1)/release(1) for 10 s after an 8 s warm-up. Two measured rounds: all eight acquiring
 * ("license-grant", which includes the supervisor's in-process grants), and only the seven subordinates
 * acquiring while the supervisor serves ("license-grant-remote": every grant crosses a link). Reports merged
 * latency percentiles and aggregate grants/s. Then the same load on Apache Curator's {@code SharedCount}
 * (compare-and-set on one znode of a real ZooKeeper server), the counter a ZooKeeper user would pick, in the same
 * run: {@code license-comparison.json} holds both systems with the ratio. hostpub runs twice: with leases as
 * configured by default ("hostpub") and with {@code licenseLeaseUnits} 0 ("hostpub-no-lease"). Run with
 * {@code -Pbench}.
 */
@Tag("bench")
class LicenseBenchmark {

    static final int INSTANCES = Integer.getInteger("bench.licenseInstances", 8);
    static final int THREADS = Integer.getInteger("bench.licenseThreads", 2);
    static final long MILLIS = Long.getLong("bench.licenseMillis", 10_000);
    static final long WARMUP_MILLIS = Long.getLong("bench.licenseWarmupMillis", 8_000);
    static final String COMPARISON = "license-comparison";
    static final int LIMIT = 1_000_000;
    /** Two units more than the subordinates' threads hold at once in the remote round, the all round's exact need. */
    static final int TIGHT_LIMIT = INSTANCES * THREADS;

    @TempDir
    Path home;

    @Test
    void grantsAcrossEightInstances() throws Exception {
        BenchResults results = new BenchResults();
        // leases as configured by default (licenseLeaseUnits 8): subordinates grant from their reserve
        java.util.NavigableMap<Long, Long> hostpub = hostpubRounds(results, "hostpub", LIMIT, "");
        // leases off: every grant and release crosses the link, as before leases (issue 14)
        java.util.NavigableMap<Long, Long> noLease = hostpubRounds(results, "hostpub-no-lease", LIMIT,
                "<licenseLeaseUnits>0</licenseLeaseUnits>");
        // a limit just above what the threads hold at once: leases thin out, and members are recalled
        hostpubRounds(results, "hostpub-limit-" + TIGHT_LIMIT, TIGHT_LIMIT, "");
        hostpubRounds(results, "hostpub-no-lease-limit-" + TIGHT_LIMIT, TIGHT_LIMIT,
                "<licenseLeaseUnits>0</licenseLeaseUnits>");
        java.util.NavigableMap<Long, Long> curator = curatorSharedCount();
        // hostpub's remote round: every grant crosses a process boundary, as every SharedCount change does
        add(results, COMPARISON, "hostpub", INSTANCES - 1, hostpub);
        add(results, COMPARISON, "curator-sharedcount", INSTANCES, curator);
        Map<String, Object> hostpubRow = results.rows(COMPARISON).get(0);
        Map<String, Object> curatorRow = results.rows(COMPARISON).get(1);
        hostpubRow.put("throughputVsCurator", Math.round((Double) hostpubRow.get("throughputPerSec")
                / (Double) curatorRow.get("throughputPerSec") * 10.0) / 10.0);
        curatorRow.put("p99VsHostpub", Math.round((Double) curatorRow.get("p99Ms")
                / Math.max(0.001, (Double) hostpubRow.get("p99Ms")) * 10.0) / 10.0);
        // and without leases, where every grant is a round trip over the link
        add(results, COMPARISON, "hostpub-no-lease", INSTANCES - 1, noLease);
        results.write();
        BenchCharts.renderLicense(results.rows(COMPARISON), Path.of(System.getProperty("hostpub.it.benchDir",
                "target/bench")));
    }

    /** The two measured rounds on one machine of 8 runtime JVMs; returns the remote round's histogram. */
    private java.util.NavigableMap<Long, Long> hostpubRounds(BenchResults results, String system, int limit,
            String extraConfig) throws Exception {
        try (TestMachine machine = new TestMachine(home.resolve(system),
                "<hostpub><licenseLimit>" + limit + "</licenseLimit>" + extraConfig + "</hostpub>")) {
            List<CloneProcess> loads = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                CloneProcess p = CloneProcess.start(machine, "load" + i, List.of("-Dhostpub.instanceName=load" + i,
                        "-XX:TieredStopAtLevel=4", "-Xmx128m"), LicenseLoad.class.getName(), List.of());
                machine.track(p);
                loads.add(p);
            }
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> machine.view().instances().size()
                    == INSTANCES);
            // warm-up round (JIT of eight JVMs on two cores), discarded
            round(loads, WARMUP_MILLIS, "warmup", "all");
            // all eight acquire; the supervisor's own grants never leave its JVM
            add(results, "license-grant", system, INSTANCES, histogram(round(loads, MILLIS, "all", "all"), false));
            denials(results, "license-grant", loads, "all");
            // only the seven subordinates acquire: every grant is asked of the supervisor over a link (or, with
            // leases, of the reserve the supervisor granted over it), the supervisor just serves
            java.util.NavigableMap<Long, Long> remote = histogram(round(loads, MILLIS, "remote", "subordinates"), true);
            add(results, "license-grant-remote", system, INSTANCES - 1, remote);
            denials(results, "license-grant-remote", loads, "remote");
            // every acquisition was released (and idle leases went back): the machine tally is back to zero
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(machine.view().licenses().inUse()).isZero());
            for (CloneProcess p : loads) {
                send(p, "bye");
            }
            return remote;
        }
    }

    /** The same processes, threads, warm-up and round on a SharedCount; returns the merged histogram. */
    private java.util.NavigableMap<Long, Long> curatorSharedCount() throws Exception {
        try (TestMachine machine = new TestMachine(home.resolve("curator"), null);
                ZooKeeperProcess zookeeper = new ZooKeeperProcess(machine)) {
            List<CloneProcess> loads = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                CloneProcess p = CloneProcess.launch(machine, "count" + i, List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                        "-XX:+UseSerialGC", "-Xss512k", "-cp", System.getProperty("java.class.path"),
                        CuratorLicenseLoad.class.getName(), zookeeper.connectString(), "/bench/licenses",
                        String.valueOf(LIMIT)), null);
                machine.track(p);
                loads.add(p);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> loads.stream()
                    .allMatch(p -> p.logLines().stream().anyMatch(l -> l.startsWith("READY"))));
            round(loads, WARMUP_MILLIS, "warmup", "all");
            java.util.NavigableMap<Long, Long> histogram = histogram(round(loads, MILLIS, "all", "all"), false);
            for (CloneProcess p : loads) {
                send(p, "bye");
            }
            // every acquisition was released: the shared count is back to zero
            for (CloneProcess p : loads) {
                String last = await().atMost(Duration.ofSeconds(60)).until(() -> p.logLines().stream()
                        .filter(l -> l.startsWith("FINAL ")).findFirst(), Optional::isPresent).orElseThrow();
                assertThat(last).isEqualTo("FINAL 0");
            }
            return histogram;
        }
    }

    /** Adds the refusals of the round to its last row: a tight limit refuses a request made while it is reached. */
    private static void denials(BenchResults results, String name, List<CloneProcess> loads, String round) {
        long denied = loads.stream().flatMap(p -> p.logLines().stream())
                .filter(l -> l.startsWith("DENIED " + round + " "))
                .mapToLong(l -> Long.parseLong(l.substring(("DENIED " + round + " ").length()))).sum();
        List<Map<String, Object>> rows = results.rows(name);
        rows.get(rows.size() - 1).put("denied", denied);
    }

    private static void add(BenchResults results, String name, String system, int n,
            java.util.NavigableMap<Long, Long> histogram) {
        long total = histogram.values().stream().mapToLong(Long::longValue).sum();
        long p50 = quantile(histogram, total, 0.50);
        long p95 = quantile(histogram, total, 0.95);
        long p99 = quantile(histogram, total, 0.99);
        long max = histogram.isEmpty() ? 0 : histogram.lastKey() + 1;
        results.percentiles(name, system, n, total, p50, p95, p99, max, total * 1000.0 / MILLIS);
    }

    private static long quantile(java.util.NavigableMap<Long, Long> histogram, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (var bucket : histogram.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return bucket.getKey() + 1; // upper edge of the 1 us bucket
            }
        }
        return histogram.isEmpty() ? 0 : histogram.lastKey() + 1;
    }

    /** Merges the sparse "micros:count" histograms of the RESULT lines. */
    private static java.util.NavigableMap<Long, Long> histogram(List<String> results, boolean subordinatesOnly) {
        java.util.NavigableMap<Long, Long> histogram = new java.util.TreeMap<>();
        for (String result : results) {
            String[] parts = result.split(" ");
            if (subordinatesOnly && !parts[2].equals("SUBORDINATE")) {
                continue;
            }
            for (int i = 3; i < parts.length; i++) {
                String[] kv = parts[i].split(":");
                histogram.merge(Long.parseLong(kv[0]), Long.parseLong(kv[1]), Long::sum);
            }
        }
        return histogram;
    }

    private static List<String> round(List<CloneProcess> loads, long millis, String round, String who)
            throws Exception {
        for (CloneProcess p : loads) {
            send(p, "go " + millis + " " + THREADS + " " + round + " " + who);
        }
        List<String> lines = new ArrayList<>();
        for (CloneProcess p : loads) {
            lines.add(await().atMost(Duration.ofMillis(millis + 60_000)).pollInterval(Duration.ofMillis(200))
                    .until(() -> resultLine(p, round), Optional::isPresent).orElseThrow());
        }
        return lines;
    }

    private static Optional<String> resultLine(CloneProcess p, String round) {
        return p.logLines().stream().filter(l -> l.startsWith("RESULT " + round + " ")).findFirst();
    }

    private static void send(CloneProcess p, String line) throws Exception {
        OutputStream in = p.stdin();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }
}
