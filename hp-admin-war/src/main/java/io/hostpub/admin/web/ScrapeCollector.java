package io.hostpub.admin.web;

import static io.hostpub.admin.web.MetricFamilies.counter;
import static io.hostpub.admin.web.MetricFamilies.gauge;

import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.ConnectionState;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.admin.api.model.Role;
import io.hostpub.coordinator.api.job.JobAvailability;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.metrics.RuntimeMetrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one scrape of a clone answers: the instance's own counters (supervisor changes, failovers, licenses, probe),
 * its pools, the machine as its supervisor sees it (instances by role, license units) and, with a cluster plan, the
 * installation's jobs. A part that cannot be read now (a failover in progress, no agent answering) is left out and
 * its {@code _up} gauge says 0, so a scrape never fails for it and stale figures are never passed off as current.
 */
final class ScrapeCollector {

    private ScrapeCollector() {
    }

    static MetricSnapshots collect(HostpubRuntime runtime, Optional<AdminGateway> gateway,
            Optional<ClusterGateway> cluster) {
        List<MetricSnapshot> families = new ArrayList<>();
        boolean probing = runtime.config().progressProbeMs() > 0;
        runtime.metrics().scrape().stream().filter(family -> probing || !family.getMetadata().getName()
                .equals(RuntimeMetrics.LINK_PROBE)).forEach(families::add);
        families.add(pools(runtime.pools().describe()));
        Optional<MachineView> view = Optional.empty();
        try {
            if (gateway.isPresent()) {
                view = Optional.of(gateway.get().view(gateway.get().localMachine()));
            }
        } catch (AdminFailure | RuntimeException e) {
            // a failover in progress: the machine's figures are left out, hostpub_machine_up says so
        }
        families.add(gauge("hostpub_machine_up", "1 when this scrape could read the machine's view from its"
                + " supervisor, 0 when not (a failover in progress): the machine figures are then missing", view
                .isPresent() ? 1 : 0));
        view.ifPresent(machine -> families.addAll(machine(machine)));
        cluster.ifPresent(gatewayOfCluster -> families.addAll(cluster(gatewayOfCluster)));
        return new MetricSnapshots(families);
    }

    private static List<MetricSnapshot> machine(MachineView view) {
        Map<String, Integer> roles = new TreeMap<>();
        for (Role role : List.of(Role.SUPERVISOR, Role.SUBORDINATE, Role.ELECTING)) {
            roles.put(role.name().toLowerCase(java.util.Locale.ROOT), 0);
        }
        for (InstanceSummary instance : view.instances()) {
            roles.merge(instance.role().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        int limit = view.licenses().limit();
        return List.of(
                gauge("hostpub_instances", "The machine's instances by role, as its supervisor lists them", "role",
                        roles),
                gauge("hostpub_license_units_in_use", "License units held on the machine", view.licenses().inUse()),
                gauge("hostpub_license_units_limit", "The machine's license limit (+Inf: no limit)",
                        limit <= 0 ? Double.POSITIVE_INFINITY : limit));
    }

    private static MetricSnapshot pools(List<PoolInfo> pools) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (PoolInfo pool : pools) {
            Map<String, Integer> states = new TreeMap<>();
            for (ConnectionState state : ConnectionState.values()) {
                states.put(state.name().toLowerCase(java.util.Locale.ROOT), 0);
            }
            for (ConnectionInfo connection : pool.connections()) {
                states.merge(connection.state().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            }
            counts.put(pool.name(), states);
        }
        return gauge("hostpub_pool_connections", "This instance's licensed pool connections by state", "pool",
                "state", counts);
    }

    /** Per agent asked (three at most): a scrape answers within Prometheus' default 10 s timeout. */
    static final java.time.Duration QUICK_REPORT = java.time.Duration.ofSeconds(3);

    private static List<MetricSnapshot> cluster(ClusterGateway gateway) {
        if (!gateway.configured()) {
            return List.of();
        }
        ClusterReport report;
        try {
            report = gateway.report(QUICK_REPORT);
        } catch (AdminFailure | RuntimeException e) {
            return List.of(gauge("hostpub_cluster_up", "1 when this scrape could read the cluster report from an"
                    + " agent, 0 when not: the cluster figures are then missing", 0));
        }
        Map<String, Integer> states = new TreeMap<>();
        for (JobState state : JobState.values()) {
            states.put(state.name().toLowerCase(java.util.Locale.ROOT), 0);
        }
        Map<String, Integer> restarts = new TreeMap<>();
        for (ClusterReport.AgentReport agent : report.agents()) {
            for (JobStatus job : agent.jobs()) {
                states.merge(job.state().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                restarts.merge(application(job.name()), job.statistics().restarts(), Integer::sum);
            }
        }
        Map<String, long[]> upDown = new TreeMap<>();
        for (ClusterReport.MonitorReport monitor : report.monitors()) {
            if (monitor.jobs() != null) {
                monitor.jobs().forEach((job, availability) -> add(upDown, application(job), availability));
            }
        }
        Map<String, Double> ratios = new TreeMap<>();
        upDown.forEach((app, sums) -> ratios.put(app, sums[0] + sums[1] == 0 ? 1.0
                : (double) sums[0] / (sums[0] + sums[1])));
        return List.of(
                gauge("hostpub_cluster_up", "1 when this scrape could read the cluster report from an agent", 1),
                gauge("hostpub_cluster_jobs", "The installation's jobs by state, as their agents report them",
                        "state", states),
                counter("hostpub_job_restarts", "Restarts of each application's jobs, as their agents count them",
                        "application", restarts),
                gauge("hostpub_job_availability_ratio", "Up time (running and healthy) over counted time of each"
                        + " application's jobs since counting began, kept across coordinator failovers",
                        "application", ratios));
    }

    private static void add(Map<String, long[]> upDown, String application, JobAvailability availability) {
        long[] sums = upDown.computeIfAbsent(application, k -> new long[2]);
        sums[0] += availability.upMillis();
        sums[1] += availability.downMillis();
    }

    /** {@code web/clone-2} is of application {@code web}. */
    private static String application(String job) {
        int slash = job.indexOf('/');
        return slash < 0 ? job : job.substring(0, slash);
    }
}
