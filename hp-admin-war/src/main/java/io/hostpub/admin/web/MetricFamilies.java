package io.hostpub.admin.web;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;

/** Metric families built at scrape time from what the admin views read, in the Prometheus client's model. */
final class MetricFamilies {

    private MetricFamilies() {
    }

    static MetricSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** One data point per value of the one label. */
    static MetricSnapshot gauge(String name, String help, String label, Map<String, ? extends Number> values) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((key, value) -> family.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of(label, key)).value(value.doubleValue()).build()));
        return family.build();
    }

    /** One data point per pair of label values. */
    static MetricSnapshot gauge(String name, String help, String label1, String label2,
            Map<String, Map<String, Integer>> values) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((first, inner) -> inner.forEach((second, value) -> family.dataPoint(
                GaugeDataPointSnapshot.builder().labels(Labels.of(label1, first, label2, second)).value(value)
                        .build())));
        return family.build();
    }

    /** A counter family (its name without {@code _total}, which the format adds). */
    static MetricSnapshot counter(String name, String help, String label, Map<String, ? extends Number> values) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        values.forEach((key, value) -> family.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, key)).value(value.doubleValue()).build()));
        return family.build();
    }
}
