package io.hostpub.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.model.Role;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What counts as a failover: a supervisor lost and a settled role after it; the first election is none. */
class RuntimeMetricsTest {

    private final Instant t0 = Instant.parse("2026-12-03T10:00:00Z");

    private static String text(RuntimeMetrics metrics) {
        return PrometheusTextFormatWriter.create().toDebugString(metrics.scrape());
    }

    @Test
    void aFailoverIsTheTimeFromLosingTheSupervisorToTheNextSettledRole() {
        RuntimeMetrics metrics = new RuntimeMetrics();
        metrics.roleChanged(Role.NEW, Role.ELECTING, t0);
        metrics.roleChanged(Role.ELECTING, Role.SUBORDINATE, t0.plusMillis(40));
        assertThat(text(metrics)).contains("hostpub_supervisor_changes_total 0.0", "hostpub_failover_seconds_count 0");

        metrics.roleChanged(Role.SUBORDINATE, Role.ELECTING, t0.plusSeconds(10));
        metrics.roleChanged(Role.ELECTING, Role.ELECTING, t0.plusSeconds(10).plusMillis(5));
        metrics.roleChanged(Role.ELECTING, Role.SUPERVISOR, t0.plusSeconds(10).plusMillis(20));
        metrics.granted(3);
        metrics.denied();
        assertThat(text(metrics)).contains("hostpub_supervisor_changes_total 1.0",
                "hostpub_failover_seconds_count 1", "hostpub_failover_seconds_bucket{le=\"0.025\"} 1",
                "hostpub_failover_seconds_bucket{le=\"0.01\"} 0", "hostpub_license_grants_total 3.0",
                "hostpub_license_denials_total 1.0", "hostpub_build_info{version=\"" + RuntimeMetrics.version()
                        + "\"} 1");
        assertThat(RuntimeMetrics.version()).isNotEqualTo("unknown").doesNotContain("${");
    }
}
