package io.hostpub.coordinator.operator;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.monitor.Monitor;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.shutdown.ShutdownOrders;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import io.hostpub.coordinator.view.ClusterView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's side of a coordinated shutdown and start ({@code hpctl cluster shutdown|start}, the cluster page):
 *
 * <ol>
 *   <li>shutdown places a {@link ShutdownOrder} in the store. From that moment nothing in its scope is started or
 *       restarted: coordinators read the orders in every cycle before they restart anything and stop; agents refuse
 *       job starts, stop their jobs (SIGTERM, SIGKILL after the grace) and exit; a child whose coordinator died reads
 *       them before it launches a new one. The agents are nudged so they act at once rather than at their next look;
 *       then it waits until nothing of the scope answers or runs here.</li>
 *   <li>start lifts the order, launches the scope's agents (with the plan's launcher, so on their own machines), and
 *       waits until they and the scope's coordinators answer; the coordinators then place the jobs again.</li>
 * </ol>
 */
public final class ClusterShutdown {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CHECK_EVERY = Duration.ofMillis(200);

    private final LivePlan live;
    private final Path home;
    private final CoordinatorStore store;
    private final ClusterClient client;
    private final Clock clock;
    private final ClusterView view;

    public ClusterShutdown(ClusterPlan plan, Path home, CoordinatorStore store, ClusterClient client, Clock clock) {
        this.live = new LivePlan(plan, store);
        this.home = home;
        this.store = store;
        this.client = client;
        this.clock = clock;
        this.view = new ClusterView(plan, store, client, clock, CALL_TIMEOUT);
    }

    /** Places the order for {@code scope} ({@code all} or a position) and nudges the agents under it. */
    public ShutdownOrder order(String scope, String by) throws StoreException, ClusterRefusal {
        ShutdownOrder order = ShutdownOrders.place(store, plan(), scope, by, clock.instant());
        nudge(scope);
        return order;
    }

    /**
     * Lifts the order for {@code scope} and launches its agents and coordinators that do not answer (a coordinator on
     * one of its candidate nodes, as a child would: launching them here saves each level the silence its children
     * would wait before they start it); returns what was launched.
     */
    public List<String> start(String scope) throws StoreException, ClusterRefusal, IOException {
        ShutdownOrders.lift(store, plan(), scope);
        Launcher launcher = new Launcher(plan(), home);
        List<String> launched = new ArrayList<>();
        ClusterReport report = view.report();
        for (String node : nodes(scope)) {
            if (!answers(agent(report, node).state())) {
                launched.add("agent " + node + " (pid " + launcher.launchAgent(node) + ")");
            }
        }
        for (String position : positions(scope)) {
            if (!answers(monitor(report, position).state())) {
                List<String> candidates = plan().candidateNodes(plan().monitor(position));
                String node = candidates.get(Math.floorMod(position.hashCode(), candidates.size()));
                // the notice children look for before they start one themselves (as ParentWatch takes it)
                store.acquire(Monitor.scope(position), "notice: the operator starts a new monitor");
                launched.add("coordinator " + position + " on " + node + " (pid " + launcher.launchMonitor(position,
                        node) + ")");
            }
        }
        return launched;
    }

    /**
     * What of {@code scope} still answers or runs: agents and coordinators that answer, and on this machine their
     * processes and the job processes the agents recorded.
     */
    public List<String> stillRunning(String scope) throws StoreException {
        ClusterReport report = view.report();
        List<String> running = new ArrayList<>();
        List<Long> named = new ArrayList<>();
        for (String node : nodes(scope)) {
            ClusterReport.AgentReport agent = agent(report, node);
            if (answers(agent.state())) {
                named.add(agent.pid());
                running.add("agent " + node + " (pid " + agent.pid() + ", " + agent.state() + ", "
                        + agent.jobs().size() + " jobs)");
            }
            for (JobRecord record : JobRecord.read(store, node, (key, why) -> { })) {
                if (record.runsHere()) {
                    running.add("job " + record.spec().name() + " on " + node + " (pid " + record.pid() + ")");
                }
            }
        }
        for (String position : positions(scope)) {
            ClusterReport.MonitorReport monitor = monitor(report, position);
            if (answers(monitor.state())) {
                named.add(monitor.pid());
                running.add("coordinator " + position + " (pid " + monitor.pid() + ", " + monitor.state() + ")");
            }
        }
        for (ProcessHandle process : localProcesses(scope)) {
            if (!named.contains(process.pid())) {
                running.add("process " + process.pid() + " on this machine: " + process.info().arguments()
                        .map(a -> String.join(" ", a)).orElse("?"));
            }
        }
        return running;
    }

    /** What of {@code scope} is not up yet: agents that do not answer RUNNING, coordinators that are not ACTIVE. */
    public List<String> notUp(String scope) throws StoreException {
        ClusterReport report = view.report();
        List<String> missing = new ArrayList<>();
        for (String node : nodes(scope)) {
            String state = agent(report, node).state();
            if (!state.equals(AgentReply.AgentState.RUNNING.name())) {
                missing.add("agent " + node + (answers(state) ? " is " + state : " does not answer"));
            }
        }
        for (String position : positions(scope)) {
            String state = monitor(report, position).state();
            if (!state.equals(MonitorReply.MonitorState.ACTIVE.name())) {
                missing.add("coordinator " + position + (answers(state) ? " is " + state : " does not answer"));
            }
        }
        return missing;
    }

    /**
     * Whether a member in this report state answered: not DOWN, and not UNKNOWN (the store that locates it did not
     * answer; a shutdown then waits, as it cannot tell).
     */
    private static boolean answers(String state) {
        return !state.equals("DOWN") && !state.equals("UNKNOWN");
    }

    private static ClusterReport.AgentReport agent(ClusterReport report, String node) {
        return report.agents().stream().filter(a -> a.node().equals(node)).findFirst().orElseThrow();
    }

    private static ClusterReport.MonitorReport monitor(ClusterReport report, String position) {
        return report.monitors().stream().filter(m -> m.position().equals(position)).findFirst().orElseThrow();
    }

    /**
     * Checks {@code what} until it is empty or {@code within} passed.
     *
     * @return what was left at the end (empty: done)
     */
    public static List<String> await(Check what, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> left = what.call();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(CHECK_EVERY.toMillis());
            left = what.call();
        }
        return left;
    }

    /** A check {@link #await} repeats: what still differs from the state awaited. */
    @FunctionalInterface
    public interface Check {
        List<String> call() throws Exception;
    }

    /** The plan in force, whose nodes change live. */
    private ClusterPlan plan() {
        return live.current();
    }

    /** The nodes whose agents and jobs an order for {@code scope} covers, in plan order. */
    public List<String> nodes(String scope) {
        ShutdownOrder probe = new ShutdownOrder(scope, Instant.EPOCH, "");
        ClusterPlan plan = plan();
        return plan.nodes().stream().map(ClusterPlan.Node::name).filter(n -> probe.covers(plan, n)).toList();
    }

    /** The coordinator positions an order for {@code scope} covers, in plan order. */
    public List<String> positions(String scope) {
        ShutdownOrder probe = new ShutdownOrder(scope, Instant.EPOCH, "");
        ClusterPlan plan = plan();
        return plan.monitors().stream().map(ClusterPlan.MonitorPosition::position).filter(p -> probe.covers(plan, p))
                .toList();
    }

    private void nudge(String scope) {
        for (String node : nodes(scope)) {
            try {
                client.call(plan().agentEndpoint(node), ClusterRoutes.AGENT_SHUTDOWN, NoBody.INSTANCE, CALL_TIMEOUT);
            } catch (IOException e) {
                // down already, or cut off: it reads the order itself when it can
            }
        }
    }

    /** Agent and coordinator processes of this installation on this machine under {@code scope} (by command line). */
    private List<ProcessHandle> localProcesses(String scope) {
        String homeArg = home.toAbsolutePath().toString();
        List<String> nodes = nodes(scope);
        List<String> positions = positions(scope);
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            if (!args.contains(homeArg)) {
                return false;
            }
            int node = args.indexOf("--node");
            int position = args.indexOf("--position");
            if (position >= 0 && position + 1 < args.size()) {
                return positions.contains(args.get(position + 1));
            }
            return args.contains("agent") && node >= 0 && node + 1 < args.size() && nodes.contains(args.get(node + 1));
        }).toList();
    }
}
