package io.hostpub.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.it.fixture.CloneProcess;
import io.hostpub.it.fixture.TestMachine;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machine-wide license grants: 8 runtime JVMs, each with {@code bench.licenseThreads} threads looping
 * acquire(1)/release(1) for 10 s after an 8 s warm-up. Two measured rounds: all eight acquiring
 * ("license-grant", which includes the supervisor's in-process grants), and only the seven subordinates
 * acquiring while the supervisor serves ("license-grant-remote": every grant crosses a link). Reports merged
 * latency percentiles and aggregate grants/s. Run with {@code -Pbench}.
 */
@Tag("bench")
class LicenseBenchmark {

    static final int INSTANCES = Integer.getInteger("bench.licenseInstances", 8);
    static final int THREADS = Integer.getInteger("bench.licenseThreads", 2);
    static final long MILLIS = Long.getLong("bench.licenseMillis", 10_000);
    static final long WARMUP_MILLIS = Long.getLong("bench.licenseWarmupMillis", 8_000);

    @TempDir
    Path home;

    @Test
    void grantsAcrossEightInstances() throws Exception {
        BenchResults results = new BenchResults();
        try (TestMachine machine = new TestMachine(home, "<hostpub><licenseLimit>1000000</licenseLimit></hostpub>")) {
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
            add(results, "license-grant", INSTANCES, histogram(round(loads, MILLIS, "all", "all"), false));
            // only the seven subordinates acquire: every grant crosses a link, the supervisor just serves
            add(results, "license-grant-remote", INSTANCES - 1,
                    histogram(round(loads, MILLIS, "remote", "subordinates"), true));
            // every acquisition was released: the machine tally is back to zero
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(machine.view().licenses().inUse()).isZero());
            for (CloneProcess p : loads) {
                send(p, "bye");
            }
        }
        results.write();
    }

    private static void add(BenchResults results, String name, int n, long[] histogram) {
        long total = 0;
        for (long c : histogram) {
            total += c;
        }
        long p50 = quantile(histogram, total, 0.50);
        long p95 = quantile(histogram, total, 0.95);
        long p99 = quantile(histogram, total, 0.99);
        long max = 0;
        for (int b = histogram.length - 1; b >= 0; b--) {
            if (histogram[b] != 0) {
                max = b;
                break;
            }
        }
        results.percentiles(name, "hostpub", n, total, p50, p95, p99, max, total * 1000.0 / MILLIS);
    }

    private static long quantile(long[] histogram, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return b + 1; // upper edge of the 1 us bucket
            }
        }
        return histogram.length;
    }

    private static long[] histogram(List<String> results, boolean subordinatesOnly) {
        long[] histogram = new long[LicenseLoad.BUCKETS];
        for (String result : results) {
            String[] parts = result.split(" ");
            if (subordinatesOnly && !parts[2].equals("SUBORDINATE")) {
                continue;
            }
            for (int i = 3; i < parts.length; i++) {
                String[] kv = parts[i].split(":");
                histogram[Integer.parseInt(kv[0])] += Long.parseLong(kv[1]);
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
