package io.hostpub.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders benchmark rows into PNG charts with XChart (headless), next to the JSON: the latency distribution of
 * every system per N as a cumulative curve on a log axis, p50/p99 per N per system as bars, and the license
 * counting comparison. {@code main} re-renders the charts from JSON files already written.
 */
public final class BenchCharts {

    private BenchCharts() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Path failover = dir.resolve(FailoverComparisonBenchmark.BENCHMARK + ".json");
        if (Files.exists(failover)) {
            render(mapper.readValue(failover.toFile(), List.class), dir);
        }
        Path license = dir.resolve(LicenseBenchmark.COMPARISON + ".json");
        if (Files.exists(license)) {
            renderLicense(mapper.readValue(license.toFile(), List.class), dir);
        }
        Path coordinator = dir.resolve("coordinator.json");
        if (Files.exists(coordinator)) {
            renderCoordinator(mapper.readValue(coordinator.toFile(), List.class), dir);
        }
    }

    /** Coordinator rows: p50 and p95 per row as bars on a log axis ({@code coordinator.png}). */
    public static void renderCoordinator(List<Map<String, Object>> rows, Path dir) {
        System.setProperty("java.awt.headless", "true");
        List<String> names = rows.stream().map(r -> ((String) r.get("system")).replace("-1s-poll", "")).toList();
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                .title("Coordinator failover, 3 agents, 1 s poll (log scale; lower is better)")
                .yAxisTitle("milliseconds").build();
        chart.getStyler().setYAxisLogarithmic(true).setYAxisMin(0.5).setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(10);
        chart.addSeries("p50", names, rows.stream().map(r -> number(r, "p50Ms")).toList());
        chart.addSeries("p95", names, rows.stream().map(r -> number(r, "p95Ms")).toList());
        save(chart, dir.resolve("coordinator.png"));
    }

    /** Failover comparison: one distribution chart per N and one p50/p99 summary. */
    @SuppressWarnings("unchecked")
    public static void render(List<Map<String, Object>> rows, Path dir) {
        System.setProperty("java.awt.headless", "true");
        TreeSet<Integer> sizes = new TreeSet<>();
        rows.forEach(r -> sizes.add(((Number) r.get("n")).intValue()));
        for (int n : sizes) {
            XYChart chart = new XYChartBuilder().width(900).height(520)
                    .title("Leader kill -9 -> every survivor knows the new leader, N = " + n)
                    .xAxisTitle("milliseconds (log scale)").yAxisTitle("% of runs at or below").build();
            chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(100.0)
                    .setYAxisDecimalPattern("#").setLegendPosition(Styler.LegendPosition.InsideSE).setChartBackgroundColor(java.awt.Color.WHITE);
            for (Map<String, Object> row : rows) {
                if (((Number) row.get("n")).intValue() != n || row.get("samplesMs") == null) {
                    continue;
                }
                List<Number> samples = (List<Number>) (Object) asList(row.get("samplesMs"));
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (int i = 0; i < samples.size(); i++) {
                    x.add(Math.max(0.01, samples.get(i).doubleValue()));
                    y.add(100.0 * (i + 1) / samples.size());
                }
                XYSeries series = chart.addSeries((String) row.get("system"), x, y);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
            save(chart, dir.resolve("failover-cdf-n" + n + ".png"));
        }
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            p50.computeIfAbsent((String) row.get("system"), s -> new ArrayList<>()).add(number(row, "p50Ms"));
            p99.computeIfAbsent((String) row.get("system"), s -> new ArrayList<>()).add(number(row, "p99Ms"));
        }
        List<String> xs = sizes.stream().map(n -> "N = " + n).toList();
        save(perN("Failover p99 per N (log scale; lower is better)", "p99 milliseconds", xs, p99),
                dir.resolve("failover-p99.png"));
        save(perN("Failover p50 per N (log scale; lower is better)", "p50 milliseconds", xs, p50),
                dir.resolve("failover-p50.png"));
    }

    /** Bars per group size, one series per system, on a log axis. */
    private static CategoryChart perN(String title, String yTitle, List<String> xs, Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520).title(title).xAxisTitle("group size")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(true).setYAxisMin(1.0).setLegendPosition(Styler.LegendPosition.InsideNW)
                .setChartBackgroundColor(java.awt.Color.WHITE);
        series.forEach((system, values) -> chart.addSeries(system, xs, values));
        return chart;
    }

    /** License counting: grants per second and p99 per system. */
    public static void renderLicense(List<Map<String, Object>> rows, Path dir) {
        System.setProperty("java.awt.headless", "true");
        List<String> systems = rows.stream().map(r -> (String) r.get("system")).toList();
        CategoryChart throughput = new CategoryChartBuilder().width(700).height(450)
                .title("License acquire+release, 8 processes (log scale; higher is better)").yAxisTitle("grants per second")
                .build();
        throughput.getStyler().setYAxisLogarithmic(true).setYAxisMin(1.0).setLegendVisible(false)
                .setChartBackgroundColor(java.awt.Color.WHITE);
        throughput.addSeries("grants/s", systems, rows.stream().map(r -> number(r, "throughputPerSec")).toList());
        save(throughput, dir.resolve("license-throughput.png"));
        CategoryChart latency = new CategoryChartBuilder().width(700).height(450)
                .title("License acquisition latency (log scale; lower is better)").yAxisTitle("milliseconds").build();
        latency.getStyler().setYAxisLogarithmic(true).setYAxisMin(0.001).setChartBackgroundColor(java.awt.Color.WHITE);
        latency.addSeries("p50", systems, rows.stream().map(r -> Math.max(0.001, number(r, "p50Ms"))).toList());
        latency.addSeries("p99", systems, rows.stream().map(r -> Math.max(0.001, number(r, "p99Ms"))).toList());
        save(latency, dir.resolve("license-latency.png"));
    }

    private static List<?> asList(Object samples) {
        if (samples instanceof double[] array) {
            return java.util.Arrays.stream(array).boxed().toList();
        }
        return (List<?>) samples;
    }

    private static double number(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
