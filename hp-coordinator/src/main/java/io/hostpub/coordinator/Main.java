package io.hostpub.coordinator;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.agent.NodeAgent;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.jmx.AgentView;
import io.hostpub.coordinator.jmx.CoordinatorView;
import io.hostpub.coordinator.jmx.CoordinatorViews;
import io.hostpub.coordinator.monitor.LiveHolder;
import io.hostpub.coordinator.monitor.Monitor;
import io.hostpub.coordinator.monitor.ParentWatch;
import io.hostpub.coordinator.monitor.StandbyRehearsal;
import io.hostpub.coordinator.monitor.WarmStandby;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import io.hostpub.lifecycle.ManagedBeans;
import io.hostpub.lifecycle.NamedThreads;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one member of the hierarchy in this process until SIGTERM: {@code agent --node N --home H} or
 * {@code monitor --position LEVEL/NAME --node N --home H} ({@code agent} also takes {@code --bind ADDR}, {@code monitor}
 * {@code --standby} for a warm standby). This is what agents and monitors launch for each other (and {@code hpctl agent}
 * runs). Exit codes: 0 stopped or superseded, 2 usage or plan error, 1 failure.
 */
public final class Main {

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tLZ %4$s %5$s%6$s%n");
        }
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("usage error: " + e.getMessage());
            System.err.println("usage: agent --node NAME --home DIR | monitor --position LEVEL/NAME --node NAME"
                    + " --home DIR [--standby]");
            System.exit(2);
        } catch (Exception e) {
            System.err.println("failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0) {
            throw new UsageException("no command");
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        Path home = Path.of(required(options, "home")).toAbsolutePath();
        String node = required(options, "node");
        switch (args[0]) {
            case "agent":
                return runAgent(home, node, Optional.ofNullable(options.get("bind")));
            case "monitor":
                return runMonitor(home, required(options, "position"), node, options.containsKey("standby"));
            default:
                throw new UsageException("unknown command " + args[0]);
        }
    }

    /**
     * Runs the host agent of {@code node} with its watch on the node's local coordinator.
     *
     * @param bind the address to listen on instead of the node's address in the plan (e.g. 0.0.0.0)
     */
    public static int runAgent(Path home, String node, Optional<String> bind) throws Exception {
        ClusterPlan plan = plan(home);
        Optional<InetSocketAddress> endpoint;
        try {
            endpoint = bind.isEmpty() ? Optional.empty()
                    : Optional.of(new InetSocketAddress(java.net.InetAddress.getByName(bind.get()), plan.agentPort()));
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw new UsageException(e.getMessage());
        }
        CountDownLatch done = new CountDownLatch(1);
        NodeAgent agent;
        try {
            agent = NodeAgent.start(plan, home, node, endpoint, done::countDown);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()); // no such node in the plan in force
        }
        ManagedBeans beans = new ManagedBeans();
        beans.register(AgentView.class, CoordinatorViews.agent(agent.agent()), "Agent", "node", node);
        return awaitEnd(done, List.of(agent, beans));
    }

    /**
     * Runs the monitor of {@code position} on {@code node} with its watch on its own parent, if the plan has one; as a
     * {@code standby}, first waits as the position's warm standby until the active monitor dies.
     */
    public static int runMonitor(Path home, String position, String node, boolean standby) throws Exception {
        ClusterPlan file = plan(home);
        CountDownLatch done = new CountDownLatch(1);
        try (CoordinatorStore store = Stores.open(file, home)) {
            // the plan in force from the one store session of the process: a coordinator's start is on the path of
            // a failover, and with ZooKeeper a session of its own to read the plan cost a third of a second more
            ClusterPlan plan = LivePlan.inForceOrFile(store, file);
            MonitorPosition monitor;
            InetSocketAddress bind;
            try {
                monitor = plan.monitor(position);
                bind = new InetSocketAddress(plan.node(node).inetAddress(), plan.monitorPort()
                        + plan.monitors().indexOf(monitor));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Launcher launcher = new Launcher(new LivePlan(plan, store)::current, home);
            // the standby adds the monitor from its own thread while a shutdown hook may be closing the parts
            List<AutoCloseable> parts = new java.util.concurrent.CopyOnWriteArrayList<>();
            ClusterWire wire = ClusterWire.of(plan, InstallationSecret.loadOrCreate(home.resolve("conf")
                    .resolve("secret")));
            WarmStandby.TakeOver start = () -> {
                Monitor running = Monitor.start(plan, position, node, bind, store, wire, launcher, Clock.systemUTC(),
                        done::countDown);
                parts.add(running);
                ManagedBeans beans = new ManagedBeans();
                beans.register(CoordinatorView.class, CoordinatorViews.coordinator(running, node), "Coordinator", "position",
                        position);
                parts.add(beans);
                plan.parentOf(position).ifPresent(p -> parts.add(0, ParentWatch.ofPlan(plan, home, position, node, p,
                        running.parents(), store, wire)));
            };
            if (standby) {
                StandbyRehearsal.rehearse(position, bind.getAddress(), wire, store);
                boolean elsewhere = plan.candidateNodes(monitor).stream().anyMatch(other -> !other.equals(node));
                parts.add(WarmStandby.start(position, node, elsewhere, store, wire.signer(), plan.pollInterval(), start,
                        done::countDown));
            } else {
                Optional<String> holder = LiveHolder.of(store, position, wire);
                if (holder.isPresent()) {
                    LOG.log(System.Logger.Level.INFO, "monitor " + position + ": not started on node " + node + ": "
                            + holder.get());
                    return 0;
                }
                start.run();
            }
            return awaitEnd(done, parts);
        }
    }

    private static int awaitEnd(CountDownLatch done, List<AutoCloseable> parts) throws InterruptedException {
        Thread hook = new NamedThreads("coordinator-shutdown").newThread(() -> {
            closeAll(parts);
            done.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        done.await();
        closeAll(parts);
        return 0;
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }

    private static ClusterPlan plan(Path home) throws Exception {
        try {
            return ClusterPlan.load(home);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--standby")) {
                options.put("standby", "true");
                continue;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("expected --option value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    /** Bad command line or plan. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
