package io.hostpub.runtime.metrics;

import io.hostpub.admin.api.model.Role;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * What one instance counts of its own life, in the Prometheus Java client's metrics (a registry of its own, not the
 * client's default one, so a redeployed runtime starts from zero and leaves nothing behind): the supervisor changes
 * it went through and how long each left it without a supervisor, the license units granted to it and the requests
 * refused, the progress probe's round trips, and the build. Machine-wide figures are the sum over the machine's
 * instances (each counts its own: {@code sum by (machine) (hostpub_license_grants_total)}).
 */
public final class RuntimeMetrics {

    /** The probe's family, which a scrape shows only while the probe is on. */
    public static final String LINK_PROBE = "hostpub_link_probe_seconds";
    /** Failovers: from a few milliseconds (a designated successor) to the 30 s of a slow machine. */
    private static final double[] FAILOVER_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] PROBE_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter supervisorChanges = Counter.builder().name("hostpub_supervisor_changes_total")
            .help("Supervisor changes this instance went through (it lost its supervisor and had a new one, itself"
                    + " or another)").register(registry);
    private final Histogram failovers = Histogram.builder().name("hostpub_failover_seconds").unit(Unit.SECONDS)
            .help("How long each failover left this instance without a supervisor: from losing it to the new role")
            .classicOnly().classicUpperBounds(FAILOVER_BOUNDS).register(registry);
    private final Counter grants = Counter.builder().name("hostpub_license_grants_total")
            .help("License units granted to this instance").register(registry);
    private final Counter denials = Counter.builder().name("hostpub_license_denials_total")
            .help("License requests of this instance refused (machine limit reached, or no supervisor in time)")
            .register(registry);
    private final Histogram probes = Histogram.builder().name(LINK_PROBE).unit(Unit.SECONDS)
            .help("Round trips of the progress probe on this instance's link (only while the probe is on)")
            .classicOnly().classicUpperBounds(PROBE_BOUNDS).register(registry);
    private volatile Instant supervisorLostAt;

    public RuntimeMetrics() {
        Info.builder().name("hostpub_build_info").help("The hostpub build this instance runs").labelNames("version")
                .register(registry).setLabelValues(version());
    }

    /** The version of this build of the runtime. */
    public static String version() {
        try (InputStream in = RuntimeMetrics.class.getResourceAsStream("build.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A role change: a supervisor lost starts a failover, the next settled role ends it. */
    public void roleChanged(Role from, Role to, Instant at) {
        if (to == Role.ELECTING && (from == Role.SUBORDINATE || from == Role.SUPERVISOR)) {
            supervisorLostAt = at;
        } else if (from == Role.ELECTING && (to == Role.SUBORDINATE || to == Role.SUPERVISOR)) {
            Instant lost = supervisorLostAt;
            supervisorLostAt = null;
            if (lost != null) {
                supervisorChanges.inc();
                failovers.observe(Math.max(0, Duration.between(lost, at).toNanos()) / 1e9);
            }
        }
    }

    public void granted(int units) {
        grants.inc(units);
    }

    public void denied() {
        denials.inc();
    }

    public void probeAnswered(Duration roundTrip) {
        probes.observe(roundTrip.toNanos() / 1e9);
    }

    /** The figures now. */
    public MetricSnapshots scrape() {
        return registry.scrape();
    }
}
