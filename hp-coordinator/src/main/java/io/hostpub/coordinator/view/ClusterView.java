package io.hostpub.coordinator.view;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.monitor.Monitor;
import io.hostpub.coordinator.monitor.MonitorCheckpoint;
import io.hostpub.coordinator.monitor.MonitorEndpoint;
import io.hostpub.coordinator.monitor.StandbyNotice;
import io.hostpub.coordinator.shutdown.ShutdownOrders;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.rollout.Rollouts;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds a {@link ClusterReport} by asking every monitor and agent of the plan for its status (signed calls, a short
 * timeout each) and renders it as text. Reading only: it polls nobody, so it changes no election.
 */
public final class ClusterView {

    private final LivePlan live;
    private final CoordinatorStore store;
    private final ClusterClient client;
    private final Clock clock;
    private final Duration timeout;

    public ClusterView(ClusterPlan plan, CoordinatorStore store, ClusterClient client, Clock clock, Duration timeout) {
        this.live = new LivePlan(plan, store);
        this.store = store;
        this.client = client;
        this.clock = clock;
        this.timeout = timeout;
    }

    public ClusterReport report() throws StoreException {
        ClusterPlan plan = live.current(); // the nodes in force, which change live
        List<ClusterReport.MonitorReport> monitors = new ArrayList<>();
        for (MonitorPosition position : plan.monitors()) {
            monitors.add(monitor(plan, position));
        }
        List<ClusterReport.AgentReport> agents = new ArrayList<>();
        for (ClusterPlan.Node node : plan.nodes()) {
            String parent = plan.parentOf(node.name()).map(MonitorPosition::position).orElse(null);
            Optional<AgentReply> reply = status(plan.agentEndpoint(node.name()), ClusterRoutes.AGENT_STATUS);
            agents.add(new ClusterReport.AgentReport(node.name(), node.address() + ":" + plan.agentPort(), parent,
                    reply.map(r -> r.state().name()).orElse("DOWN"), reply.map(AgentReply::pid).orElse(0L),
                    reply.map(AgentReply::jobs).orElse(List.of()), reply.map(AgentReply::unrecordedJobs).orElse(0)));
        }
        return new ClusterReport(store.describe(), plan.pollIntervalMs(), clock.instant(), monitors, agents,
                shutdowns(), rollouts());
    }

    /** Each application's latest rollout; none when the store cannot say. */
    private List<Rollout> rollouts() {
        try {
            return List.copyOf(Rollouts.read(store).values());
        } catch (StoreException | RuntimeException e) {
            return List.of();
        }
    }

    /** The shutdown orders in force; none when the store cannot say (the monitors then show it as UNKNOWN). */
    private List<ShutdownOrder> shutdowns() {
        try {
            return ShutdownOrders.read(store);
        } catch (StoreException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * One position as its monitor answers. Where it listens is in the store: when the store does not answer (its
     * quorum lost), the position is UNKNOWN with the store's error, and the rest of the report (the agents and their
     * jobs, which the plan locates) is still built.
     */
    private ClusterReport.MonitorReport monitor(ClusterPlan plan, MonitorPosition position) {
        String parent = plan.parentOf(position.position()).map(MonitorPosition::position).orElse(null);
        try {
            return monitor(position, parent);
        } catch (StoreException e) {
            return new ClusterReport.MonitorReport(position.position(), parent, "UNKNOWN", 0, null, null, 0,
                    List.of(), null, "this report could not find the coordinator: " + e.getMessage());
        }
    }

    private ClusterReport.MonitorReport monitor(MonitorPosition position, String parent) throws StoreException {
        Optional<MonitorEndpoint> endpoint = MonitorEndpoint.read(store, position.position());
        Optional<MonitorReply> reply = endpoint.flatMap(e -> status(new InetSocketAddress(e.address(), e.port()),
                ClusterRoutes.MONITOR_STATUS));
        long epoch = reply.map(r -> r.best().epoch()).orElse(store.current(Monitor.scope(position.position()))
                .map(Fence::epoch).orElse(0L));
        return new ClusterReport.MonitorReport(position.position(), parent, reply.map(r -> r.state().name())
                .orElse("DOWN"), reply.map(MonitorReply::pid).orElse(0L), endpoint.map(MonitorEndpoint::node).orElse(null),
                endpoint.map(e -> e.address() + ":" + e.port()).orElse(null), epoch,
                reply.map(MonitorReply::children).orElse(List.of()), reply.map(MonitorReply::operator).orElse(null),
                reply.map(MonitorReply::storeProblem).orElse(null), reply.isPresent() ? reply.get().jobs()
                        : lastCheckpointed(position.position()), reply.isPresent() ? standby(position.position())
                                : null);
    }

    /** The standby the position's active monitor says is linked to it (its word from its last cycle). */
    private ClusterReport.Standby standby(String position) throws StoreException {
        return StandbyNotice.read(store, position).filter(StandbyNotice::linked)
                .map(n -> new ClusterReport.Standby(n.node(), n.pid())).orElse(null);
    }

    /** The availability its last checkpoint holds, for a position whose coordinator does not answer (a failover). */
    private java.util.Map<String, io.hostpub.coordinator.api.job.JobAvailability> lastCheckpointed(String position) {
        try {
            return MonitorCheckpoint.read(store, position).map(MonitorCheckpoint::availability)
                    .orElse(java.util.Map.of());
        } catch (StoreException | RuntimeException e) {
            return java.util.Map.of();
        }
    }

    /**
     * A status, asked twice when the first call gets no answer in time: on a slow, lossy link (100 ms round trips, 1 %
     * of packets lost) one call in a few hundred outlasts the timeout, and a report would show a healthy peer DOWN. A
     * refusal is an answer and is not asked again; a peer that is really gone costs two timeouts.
     */
    private <R> Optional<R> status(InetSocketAddress endpoint, Route<NoBody, R> route) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return Optional.of(client.call(endpoint, route, NoBody.INSTANCE, timeout));
            } catch (ClusterRefusal refused) {
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                // no answer in time: once more
            }
        }
        return Optional.empty();
    }

    /** The hierarchy as an indented tree, top monitors first, jobs under their agents. */
    public static String render(ClusterReport report) {
        StringBuilder out = new StringBuilder();
        out.append("store ").append(report.store()).append(", poll every ").append(report.pollIntervalMs())
                .append(" ms\n");
        report.shutdowns().forEach(order -> out.append("SHUT DOWN: ").append(order.describe())
                .append(" (hpctl cluster start").append(order.scope().equals(ShutdownOrder.ALL) ? ""
                        : " --scope " + order.scope()).append(" lifts it)\n"));
        report.rollouts().forEach(rollout -> out.append(describe(rollout)).append('\n'));
        report.monitors().stream().filter(m -> m.parent() == null).forEach(m -> renderMonitor(report, m, 0, out));
        report.agents().stream().filter(a -> a.parent() == null).forEach(a -> renderAgent(report, a, 0, out));
        return out.toString();
    }

    private static void renderMonitor(ClusterReport report, ClusterReport.MonitorReport monitor, int depth,
            StringBuilder out) {
        indent(out, depth).append(monitor.position()).append("  ").append(monitor.state());
        if (monitor.pid() != 0) {
            out.append("  pid ").append(monitor.pid()).append(" on ").append(monitor.node()).append(" (")
                    .append(monitor.endpoint()).append(")");
        }
        out.append("  epoch ").append(monitor.epoch());
        if (monitor.standby() != null) {
            out.append("  standby pid ").append(monitor.standby().pid()).append(" on ").append(monitor.standby().node());
        }
        if (!monitor.operator().heldJobs().isEmpty()) {
            out.append("  held: ").append(String.join(", ", monitor.operator().heldJobs()));
        }
        if (!monitor.operator().drainedNodes().isEmpty()) {
            out.append("  drained: ").append(String.join(", ", monitor.operator().drainedNodes()));
        }
        if (monitor.storeProblem() != null) {
            out.append("  STORE FAILS: ").append(monitor.storeProblem()).append(" (checkpoint not written; PASSIVE"
                    + " while the store cannot confirm its fence)");
        }
        out.append('\n');
        report.monitors().stream().filter(m -> monitor.position().equals(m.parent()))
                .forEach(m -> renderMonitor(report, m, depth + 1, out));
        report.agents().stream().filter(a -> monitor.position().equals(a.parent()))
                .forEach(a -> renderAgent(report, a, depth + 1, out));
    }

    private static void renderAgent(ClusterReport report, ClusterReport.AgentReport agent, int depth,
            StringBuilder out) {
        indent(out, depth).append("agent ").append(agent.node()).append("  ").append(agent.state());
        if (agent.pid() != 0) {
            out.append("  pid ").append(agent.pid());
        }
        out.append("  (").append(agent.address()).append(")");
        if (agent.unrecordedJobs() > 0) {
            out.append("  STORE REFUSES WRITES: ").append(agent.unrecordedJobs())
                    .append(" job record(s) kept by the agent, not yet written (jobs still supervised)");
        }
        out.append('\n');
        for (JobStatus job : agent.jobs()) {
            indent(out, depth + 1).append(job.name()).append("  ").append(job.state())
                    .append(job.failedOut() ? " FAILED-OUT" : "")
                    .append(job.spec().version() == null ? "" : "  version " + job.spec().version());
            if (job.pid() != 0) {
                out.append("  pid ").append(job.pid());
            }
            if (job.state() == io.hostpub.coordinator.api.job.JobState.RUNNING) {
                out.append(job.healthy() == null ? "  starting" : job.healthy() ? "  healthy" : "  NOT HEALTHY");
            }
            out.append(String.format(Locale.ROOT, "  up %ds down %ds failures %d restarts %d availability %.2f%%%n",
                    job.statistics().upMillis() / 1000, job.statistics().downMillis() / 1000,
                    job.statistics().failures(), job.statistics().restarts(),
                    job.statistics().availabilityPercent()));
            report.monitors().stream().map(m -> m.jobs().get(job.name())).filter(java.util.Objects::nonNull)
                    .findFirst().ifPresent(a -> indent(out, depth + 2).append(String.format(Locale.ROOT,
                            "serving: last hour %.2f%%, since %s %.2f%%, outages %d, restarts %d, MTBF %s, MTTR %s%n",
                            a.lastHourAvailabilityPercent(), a.since(), a.availabilityPercent(), a.outages(),
                            a.restarts(), a.mtbfMillis() == null ? "-" : a.mtbfMillis() + " ms",
                            a.mttrMillis() == null ? "-" : a.mttrMillis() + " ms")));
            for (var incident : job.incidents()) {
                indent(out, depth + 2).append(incident.kind()).append(" at ").append(incident.at()).append(" pid ")
                        .append(incident.pid()).append(": ").append(incident.reason()).append("; killed, evidence ")
                        .append(incident.evidence()).append('\n');
            }
        }
    }

    /** One line for a rollout: {@code rollout 3 of web: 0002 -> 0003 ROLLING (2 done, 1 replacing), ...}. */
    public static String describe(Rollout rollout) {
        return "rollout " + rollout.number() + " of " + rollout.application() + ": version " + rollout.from().label()
                + " -> " + rollout.to().label() + "  " + rollout.phase() + " (" + rollout.progress() + "; failures "
                + rollout.failures() + " of budget " + rollout.failureBudget() + ")  " + rollout.message();
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        return out.append("  ".repeat(depth));
    }
}
