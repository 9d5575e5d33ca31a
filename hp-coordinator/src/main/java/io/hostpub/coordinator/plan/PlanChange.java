package io.hostpub.coordinator.plan;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a new plan changes from the plan in force, and whether that can change live: the applications, and the nodes
 * under the local coordinators (a node added is polled, its agent started, jobs placed on it; a node removed, once
 * it holds no job, stops its agent). The rest (poll interval, ports, store, launcher, TLS, the coordinators above
 * the local ones, a node's address) every agent and coordinator reads at start.
 */
public final class PlanChange {

    private PlanChange() {
    }

    /** Why {@code next} cannot be applied live over {@code inForce}, or empty. */
    public static Optional<String> notLive(ClusterPlan inForce, ClusterPlan next) {
        List<String> changed = new ArrayList<>();
        compare(changed, "pollIntervalMs", inForce.pollIntervalMs(), next.pollIntervalMs());
        compare(changed, "agentPort", inForce.agentPort(), next.agentPort());
        compare(changed, "monitorPort", inForce.monitorPort(), next.monitorPort());
        compare(changed, "store", inForce.store(), next.store());
        compare(changed, "launcher", inForce.launcher(), next.launcher());
        compare(changed, "tls", inForce.tls() == null, next.tls() == null);
        compare(changed, "the monitor positions", positions(inForce), positions(next));
        for (MonitorPosition before : inForce.monitors()) {
            MonitorPosition after = next.monitors().stream().filter(m -> m.position().equals(before.position()))
                    .findFirst().orElse(null);
            if (after != null && before.level() != ClusterPlan.Level.LOCAL) {
                compare(changed, "monitor " + before.position(), before, after);
            } else if (after != null) {
                compare(changed, "the standby of " + before.position(), before.standby(), after.standby());
            }
        }
        Map<String, Node> nextNodes = byName(next.nodes());
        for (Node node : inForce.nodes()) {
            Node after = nextNodes.get(node.name());
            if (after != null) {
                compare(changed, "the address of node " + node.name(), node.address(), after.address());
            }
        }
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the applications and the nodes of local coordinators change live; this plan also changes "
                + String.join(", ", changed) + ", which every agent and coordinator reads at start: hpctl cluster"
                + " shutdown, put the plan in conf/cluster.json on every machine, hpctl cluster start");
    }

    /** The nodes of {@code inForce} that {@code next} no longer has. */
    public static List<String> removedNodes(ClusterPlan inForce, ClusterPlan next) {
        Map<String, Node> nextNodes = byName(next.nodes());
        return inForce.nodes().stream().map(Node::name).filter(n -> !nextNodes.containsKey(n)).toList();
    }

    /** What changes, one line each ({@code +}, {@code -}, {@code ~}): nodes first, then applications. */
    public static List<String> diff(ClusterPlan from, ClusterPlan to) {
        List<String> lines = new ArrayList<>();
        Map<String, Node> before = byName(from.nodes());
        Map<String, Node> after = byName(to.nodes());
        for (Node node : to.nodes()) {
            if (!before.containsKey(node.name())) {
                lines.add("+ node " + node.name() + " (" + node.address() + ")" + to.parentOf(node.name())
                        .map(m -> " under " + m.position() + ": its agent is started and jobs may be placed on it")
                        .orElse(""));
            }
        }
        for (String removed : removedNodes(from, to)) {
            lines.add("- node " + removed + " (" + before.get(removed).address() + "): drained first (its jobs move),"
                    + " then its agent stops");
        }
        for (MonitorPosition monitor : to.monitors()) {
            from.monitors().stream().filter(m -> m.position().equals(monitor.position())).findFirst()
                    .filter(old -> !old.children().equals(monitor.children()))
                    .ifPresent(old -> lines.add("~ " + monitor.position() + ": nodes " + old.children() + " -> "
                            + monitor.children()));
        }
        lines.addAll(applications(from.applications(), to.applications()));
        return lines;
    }

    /** What changes from {@code from}'s applications to {@code to}'s. */
    static List<String> applications(List<Application> from, List<Application> to) {
        Map<String, Application> before = from.stream().collect(Collectors.toMap(Application::name,
                Function.identity()));
        Map<String, Application> after = to.stream().collect(Collectors.toMap(Application::name, Function.identity()));
        List<String> lines = new ArrayList<>();
        for (Application a : to) {
            Application old = before.get(a.name());
            if (old == null) {
                lines.add("+ application " + a.name() + ": " + a.count() + " job(s) under " + a.monitor());
            } else if (!old.equals(a)) {
                lines.add("~ application " + a.name() + (old.count() != a.count() ? ": count " + old.count() + " -> "
                        + a.count() : "") + (old.withCount(a.count()).equals(a) ? "" : " (command, ports, placement"
                        + " or health changed: running jobs are replaced one at a time, each once the others serve)"));
            }
        }
        for (Application a : from) {
            if (!after.containsKey(a.name())) {
                lines.add("- application " + a.name() + ": its " + a.count() + " job(s) stop");
            }
        }
        return lines;
    }

    private static List<String> positions(ClusterPlan plan) {
        return plan.monitors().stream().map(MonitorPosition::position).sorted().toList();
    }

    private static Map<String, Node> byName(List<Node> nodes) {
        return nodes.stream().collect(Collectors.toMap(Node::name, Function.identity()));
    }

    private static void compare(List<String> changed, String key, Object base, Object next) {
        if (!Objects.equals(base, next)) {
            changed.add(key);
        }
    }
}
