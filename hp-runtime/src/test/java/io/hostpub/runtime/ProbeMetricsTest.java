package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.runtime.metrics.RuntimeMetrics;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the progress probe on, both ends of a link count its round trips. */
class ProbeMetricsTest {

    @TempDir
    Path home;

    private static long probes(HostpubRuntime runtime) {
        return runtime.metrics().scrape().stream().filter(family -> family.getMetadata().getName()
                .equals(RuntimeMetrics.LINK_PROBE)).map(HistogramSnapshot.class::cast)
                .mapToLong(h -> h.getDataPoints().get(0).getCount()).sum();
    }

    @Test
    void bothEndsOfAProbedLinkCountItsRoundTrips() throws Exception {
        try (RuntimeFixture machine = new RuntimeFixture(home)) {
            machine.configure(c -> c.withProgressProbeMs(50));
            HostpubRuntime supervisor = machine.start("a");
            HostpubRuntime subordinate = machine.start("b");
            await().until(() -> probes(supervisor) >= 3 && probes(subordinate) >= 3);
            assertThat(probes(subordinate)).isPositive();
        }
    }
}
