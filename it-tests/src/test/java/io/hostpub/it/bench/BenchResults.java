package io.hostpub.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark rows in the shared format ({@code it-tests/target/bench/<name>.json}, DESIGN.md section 3), so runs
 * on different days and machines can be compared and plotted.
 */
public final class BenchResults {

    private final Path dir = Path.of(System.getProperty("hostpub.it.benchDir", "target/bench"));
    private final Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();

    /** Adds a latency row from raw samples in microseconds. */
    public Map<String, Object> latency(String benchmark, String system, int n, long[] micros, Double throughput) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("benchmark", benchmark);
        row.put("system", system);
        row.put("n", n);
        row.put("runs", sorted.length);
        row.put("p50Ms", ms(percentile(sorted, 50)));
        row.put("p95Ms", ms(percentile(sorted, 95)));
        row.put("p99Ms", ms(percentile(sorted, 99)));
        row.put("maxMs", ms(sorted[sorted.length - 1]));
        row.put("throughputPerSec", throughput);
        return add(benchmark, row);
    }

    /** Adds a latency row that also keeps every sample (ms), so the site's charts can show the distribution. */
    public Map<String, Object> distribution(String benchmark, String system, int n, long[] micros) {
        Map<String, Object> row = latency(benchmark, system, n, micros, null);
        row.put("samplesMs", Arrays.stream(micros).sorted().mapToDouble(BenchResults::ms).toArray());
        return row;
    }

    /** Adds a row of any other measurement (fields in the order given). */
    public Map<String, Object> facts(String benchmark, Map<String, Object> fields) {
        return add(benchmark, new LinkedHashMap<>(fields));
    }

    /** The rows added so far under one benchmark name. */
    public List<Map<String, Object>> rows(String benchmark) {
        return rows.getOrDefault(benchmark, List.of());
    }

    /** Adds a row from percentiles already computed (e.g. merged histograms), in microseconds. */
    public Map<String, Object> percentiles(String benchmark, String system, int n, long runs, long p50, long p95,
            long p99, long max, Double throughput) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("benchmark", benchmark);
        row.put("system", system);
        row.put("n", n);
        row.put("runs", runs);
        row.put("p50Ms", ms(p50));
        row.put("p95Ms", ms(p95));
        row.put("p99Ms", ms(p99));
        row.put("maxMs", ms(max));
        // the same in microseconds, where a figure below 10 us would round to 0.0 ms
        row.put("p50Us", p50);
        row.put("p99Us", p99);
        row.put("throughputPerSec", throughput);
        return add(benchmark, row);
    }

    private Map<String, Object> add(String benchmark, Map<String, Object> row) {
        row.put("jdk", System.getProperty("java.version"));
        row.put("cpus", Runtime.getRuntime().availableProcessors());
        row.put("at", Instant.now().toString());
        rows.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(row);
        Map<String, Object> shown = new LinkedHashMap<>(row);
        shown.remove("samplesMs");
        System.out.println("BENCH " + shown);
        return row;
    }

    static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /** Writes one file per benchmark name. */
    public void write() throws IOException {
        Files.createDirectories(dir);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (var entry : rows.entrySet()) {
            mapper.writeValue(dir.resolve(entry.getKey() + ".json").toFile(), entry.getValue());
        }
    }
}
