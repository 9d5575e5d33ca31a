package io.hostpub.admin.web;

import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.report.ClusterReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /hpadmin/api/sd}: the scrape targets in Prometheus' HTTP service-discovery format (a list of target
 * groups, each with {@code targets} and {@code labels}): every clone of this machine with an HTTP port, labelled with
 * its machine and instance name (its role as the discovery label {@value #ROLE}), and with a cluster plan every job
 * of the installation that serves HTTP, labelled with its application and node (the clones of this machine among
 * them keep their instance name and role).
 * {@code __metrics_path__} points each at this application's {@code /hpadmin/metrics}.
 */
final class ServiceDiscovery {

    /** The instance's role, for relabelling and the target list; Prometheus drops it from the series. */
    static final String ROLE = "__meta_hostpub_role";

    private ServiceDiscovery() {
    }

    /**
     * @param machine     this clone's machine and its view, if the supervisor answered
     * @param report      the installation's cluster report, if there is a plan and an agent answered
     * @param metricsPath the path of the metrics endpoint on every clone
     */
    static List<Map<String, Object>> targets(MachineAddress machine, Optional<MachineView> view,
            Optional<ClusterReport> report, String metricsPath) {
        Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
        view.ifPresent(v -> {
            for (InstanceSummary instance : v.instances()) {
                if (instance.httpPorts().isEmpty()) {
                    continue; // a bare runtime serves no metrics
                }
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("machine", v.machine());
                labels.put("instance", instance.name());
                // a discovery label, not a target label: the role changes at every failover, and a target label
                // that changes splits the instance's series (and hostpub_instances has a role label of its own)
                labels.put(ROLE, instance.role().name().toLowerCase(Locale.ROOT));
                byTarget.put(machine.host() + ":" + instance.httpPorts().get(0), labels);
            }
        });
        report.ifPresent(r -> {
            for (ClusterReport.AgentReport agent : r.agents()) {
                String host = agent.address().substring(0, agent.address().lastIndexOf(':'));
                for (JobStatus job : agent.jobs()) {
                    if (job.spec().httpPort() == 0) {
                        continue;
                    }
                    Map<String, String> labels = byTarget.computeIfAbsent(host + ":" + job.spec().httpPort(),
                            target -> new LinkedHashMap<>());
                    labels.putIfAbsent("machine", host + ":" + machine.port()); // the installation's supervisor port
                    labels.putIfAbsent("instance", job.name());
                    labels.put("application", job.name().substring(0, job.name().indexOf('/')));
                    labels.put("node", agent.node());
                }
            }
        });
        List<Map<String, Object>> groups = new ArrayList<>();
        byTarget.forEach((target, labels) -> {
            Map<String, String> all = new LinkedHashMap<>(labels);
            all.put("__metrics_path__", metricsPath);
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(target));
            group.put("labels", all);
            groups.add(group);
        });
        return groups;
    }
}
