package io.hostpub.coordinator.api.plan;

import io.hostpub.admin.api.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's shape, read from {@code conf/cluster.json} in the hostpub home (the same file on every node): the
 * nodes, the monitor positions of each level with their children, the applications to keep running, the store and
 * timing. Depth is configuration: a plan with only {@code local/...} positions is the two-level hierarchy of seed
 * FIG. 4; adding {@code group/...} and {@code universal/...} positions gives FIG. 5.
 *
 * <pre>{@code
 * {"pollIntervalMs": 1000, "agentPort": 30110, "monitorPort": 30120, "store": {"kind": "journal"},
 *  "nodes": [{"name": "n1", "address": "127.0.0.2"}, {"name": "n2", "address": "127.0.0.3"}],
 *  "monitors": [{"position": "local/l1", "children": ["n1", "n2"]},
 *               {"position": "group/g1", "children": ["local/l1"]}],
 *  "applications": [{"name": "app", "count": 2, "command": ["sleep", "600"], "monitor": "local/l1"}]}
 * }</pre>
 * The applications change live ({@code hpctl cluster apply}); the rest is read once at start.
 */
public record ClusterPlan(long pollIntervalMs, int agentPort, int monitorPort, StoreSettings store, List<Node> nodes,
        List<MonitorPosition> monitors, List<Application> applications, List<String> launcher, TlsSettings tls) {

    public static final String FILE = "cluster.json";

    public ClusterPlan {
        if (pollIntervalMs < 50 || pollIntervalMs > 60_000) {
            throw new IllegalArgumentException("pollIntervalMs must be 50..60000, got " + pollIntervalMs);
        }
        checkPort("agentPort", agentPort);
        checkPort("monitorPort", monitorPort);
        store = store == null ? new StoreSettings("journal", null, null) : store;
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        monitors = List.copyOf(Objects.requireNonNull(monitors, "monitors"));
        applications = applications == null ? List.of() : List.copyOf(applications);
        launcher = launcher == null ? List.of() : List.copyOf(launcher);
        PlanConsistency.check(nodes, monitors, applications);
    }

    private static void checkPort(String key, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " must be 1..65535, got " + port);
        }
    }

    /** Reads and validates {@code <home>/conf/cluster.json}. */
    public static ClusterPlan load(Path home) throws IOException {
        return PlanFiles.read(home.resolve("conf").resolve(FILE), home);
    }

    public void write(Path home) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.write(conf.resolve(FILE), Json.writePretty(this).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Duration pollInterval() {
        return Duration.ofMillis(pollIntervalMs);
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in the plan"));
    }

    public MonitorPosition monitor(String position) {
        return monitors.stream().filter(m -> m.position().equals(position)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no monitor position " + position + " in the plan"));
    }

    /** The monitor that watches {@code child} (a node name or a position), if any. */
    public Optional<MonitorPosition> parentOf(String child) {
        return monitors.stream().filter(m -> m.children().contains(child)).findFirst();
    }

    /** The nodes of a monitor's subtree (where it and its children may run unless dedicated nodes are set). */
    public List<String> subtreeNodes(MonitorPosition monitor) {
        if (monitor.level() == Level.LOCAL) {
            return monitor.children();
        }
        List<String> nodes = new ArrayList<>();
        for (String child : monitor.children()) {
            nodes.addAll(subtreeNodes(monitor(child)));
        }
        return nodes;
    }

    /** Where a monitor may be started: its dedicated nodes (seed FIG. 9), else the nodes of its subtree. */
    public List<String> candidateNodes(MonitorPosition monitor) {
        return monitor.nodes().isEmpty() ? subtreeNodes(monitor) : monitor.nodes();
    }

    public InetSocketAddress agentEndpoint(String node) {
        return new InetSocketAddress(node(node).inetAddress(), agentPort);
    }

    public List<Application> applicationsOf(String position) {
        return applications.stream().filter(a -> a.monitor().equals(position)).toList();
    }

    /** The levels of the hierarchy, bottom up; a position is {@code <level>/<name>}. */
    public enum Level {
        LOCAL, GROUP, UNIVERSAL;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Level of(String key) {
            for (Level level : values()) {
                if (level.key().equals(key)) {
                    return level;
                }
            }
            throw new IllegalArgumentException("unknown level '" + key + "' (local, group or universal)");
        }
    }

    /** One machine (or, in tests, one loopback address). */
    public record Node(String name, String address) {
        public Node {
            Objects.requireNonNull(name, "node name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                throw new IllegalArgumentException("node name '" + name + "' must be letters, digits, '.', '_', '-'");
            }
            Objects.requireNonNull(address, "address of node " + name);
        }

        public InetAddress inetAddress() {
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("node " + name + ": unknown address " + address, e);
            }
        }
    }

    /**
     * One monitor position.
     *
     * @param nodes dedicated nodes the monitor may run on (empty: any node of its subtree)
     * @param standby keep a warm standby coordinator process that takes over at once when the active one dies
     */
    public record MonitorPosition(String position, List<String> children, List<String> nodes, Boolean standby) {
        public MonitorPosition(String position, List<String> children, List<String> nodes) {
            this(position, children, nodes, false);
        }

        public MonitorPosition {
            Objects.requireNonNull(position, "position");
            if (!position.matches("(local|group|universal)/[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                throw new IllegalArgumentException("monitor position '" + position
                        + "' must be local/NAME, group/NAME or universal/NAME");
            }
            children = List.copyOf(Objects.requireNonNull(children, "children of " + position));
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            standby = Boolean.TRUE.equals(standby); // absent in a plan: no standby
        }

        public Level level() {
            return Level.of(position.substring(0, position.indexOf('/')));
        }
    }

    /**
     * An application: {@code count} interchangeable jobs {@code <name>/<member>-1..count}.
     *
     * @param command   the job's command; {@code {port}} is replaced by the member's HTTP port, {@code {member}} by i
     * @param httpPort  first HTTP port (member i gets httpPort + (i - 1) * portStep), 0 if the jobs serve none
     * @param portStep  distance between members' ports (default 1; 2 interleaves two applications)
     * @param nodes     nodes the jobs may run on (empty: every node of the monitor)
     * @param customer  per-customer isolation: a node runs jobs of one customer at a time (null: shared)
     * @param health    how agents tell its hung jobs from running ones (null: the process looked at, nothing asked)
     * @param war       the WAR its command deploys where it says {@code {war}} (a rollout replaces it version by
     *                  version, {@code hpctl rollout}); null when the command names none
     */
    public record Application(String name, int count, List<String> command, Map<String, String> environment,
            Integer httpPort, Integer portStep, String monitor, List<String> nodes, String customer, String member,
            io.hostpub.coordinator.api.job.HealthCheck health, String war) {

        /** The placeholder a command puts where the WAR of the member's version goes. */
        public static final String WAR = "{war}";

        /** An application whose command deploys no versioned WAR. */
        public Application(String name, int count, List<String> command, Map<String, String> environment,
                Integer httpPort, Integer portStep, String monitor, List<String> nodes, String customer,
                String member, io.hostpub.coordinator.api.job.HealthCheck health) {
            this(name, count, command, environment, httpPort, portStep, monitor, nodes, customer, member, health,
                    null);
        }

        /** An application whose jobs are looked at with the default health check. */
        public Application(String name, int count, List<String> command, Map<String, String> environment,
                Integer httpPort, Integer portStep, String monitor, List<String> nodes, String customer,
                String member) {
            this(name, count, command, environment, httpPort, portStep, monitor, nodes, customer, member, null,
                    null);
        }

        /** Whether its command deploys a WAR a rollout can replace. */
        public boolean deploysWar() {
            return command.stream().anyMatch(part -> part.contains(WAR));
        }

        /** This application with {@code count} members. */
        public Application withCount(int count) {
            return new Application(name, count, command, environment, httpPort, portStep, monitor, nodes, customer,
                    member, health, war);
        }

        /** The HTTP port of member {@code i} (1-based), 0 if the application serves none. */
        public int port(int member) {
            return httpPort == 0 ? 0 : httpPort + (member - 1) * portStep;
        }

        public Application {
            Objects.requireNonNull(name, "application name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                throw new IllegalArgumentException("application name '" + name + "' must be letters, digits, '.',"
                        + " '_', '-'");
            }
            if (count < 0 || count > 1000) {
                throw new IllegalArgumentException("application " + name + ": count must be 0..1000");
            }
            command = List.copyOf(Objects.requireNonNull(command, "command of " + name));
            if (command.isEmpty()) {
                throw new IllegalArgumentException("application " + name + " has an empty command");
            }
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            Objects.requireNonNull(monitor, "monitor of application " + name);
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            member = member == null ? "job" : member;
            httpPort = httpPort == null ? 0 : httpPort;
            portStep = portStep == null ? 1 : portStep;
            if (portStep < 1 || portStep > 100) {
                throw new IllegalArgumentException("application " + name + ": portStep must be 1..100");
            }
            if (httpPort < 0 || httpPort + (long) Math.max(0, count - 1) * portStep > 65535) {
                throw new IllegalArgumentException("application " + name + ": httpPort out of range");
            }
            health = health == null ? io.hostpub.coordinator.api.job.HealthCheck.DEFAULT : health;
            if (health.path() != null && httpPort == 0) {
                throw new IllegalArgumentException("application " + name + ": a health path needs an httpPort");
            }
            if (command.stream().anyMatch(part -> part.contains(WAR)) && (war == null || war.isBlank())) {
                throw new IllegalArgumentException("application " + name + ": its command says " + WAR
                        + " but the application names no war");
            }
        }
    }
}
