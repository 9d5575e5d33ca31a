package io.hostpub.coordinator.cluster;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.monitor.MonitorEndpoint;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A simulated cluster on this machine: nodes are loopback addresses 127.0.0.2.., agents and monitors are real
 * processes started by the product's own {@link Launcher}, state in the embedded store under a temporary home.
 * Closing kills every process whose command line names the home.
 */
final class ClusterFixture implements AutoCloseable {

    /** The argument that marks this test run's job processes (sleep seconds nobody else uses). */
    static final String MARKER = String.valueOf(7_000_000 + ProcessHandle.current().pid() % 1_000_000);

    final Path home;
    final ClusterPlan plan;
    final Launcher launcher;
    final CoordinatorStore store;
    final ClusterClient client;

    ClusterFixture(Path home, ClusterPlan plan) throws Exception {
        this.home = home;
        this.plan = plan;
        plan.write(home);
        InstallationSecret secret = InstallationSecret.loadOrCreate(home.resolve("conf").resolve("secret"));
        this.launcher = new Launcher(plan, home);
        this.store = Stores.open(plan, home);
        // as every agent and coordinator will: the plan as loaded, so TLS (if the plan has it) with the home's key store
        this.client = ClusterWire.of(ClusterPlan.load(home), secret).client(Duration.ofSeconds(1));
    }

    /** Nodes n1..nN on 127.0.0.2.., one local monitor over all of them. */
    static List<ClusterPlan.Node> nodes(int count) {
        List<ClusterPlan.Node> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(new ClusterPlan.Node("n" + i, "127.0.0." + (i + 1)));
        }
        return nodes;
    }

    /** A port free on every node address (the agents share it, each on its own address). */

    /** A long-running job command found again by {@link #MARKER}. */
    static List<String> sleeper() {
        return List.of("sleep", MARKER);
    }

    /**
     * A small JVM job running {@code main} of the test classes with {@link #MARKER} as its first argument. The class
     * path goes in an argument file under {@code home}: with the test class path on its command line, Linux gives
     * {@link ProcessHandle.Info#arguments()} nothing, so neither {@link #jobProcesses()} nor the fixture's close found
     * such jobs, and their processes outlived the test (holding their ports).
     */
    static List<String> javaJob(Path home, Class<?> main, String... args) throws IOException {
        Path file = home.resolve("run").resolve("job-classpath.args");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\")
                + "\"\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "@" + file, main.getName(),
                MARKER));
        command.addAll(List.of(args));
        return command;
    }

    /** Live job processes of this run. */
    static List<ProcessHandle> jobProcesses() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains(MARKER)).orElse(false)).toList();
    }

    void startAgents() throws IOException {
        for (ClusterPlan.Node node : plan.nodes()) {
            launcher.launchAgent(node.name());
        }
    }

    /** Every live process of this cluster whose command has {@code role} (agent or monitor) and {@code name}. */
    /**
     * Live agents or monitors ({@code role}) of {@code name}; a warm standby only once it took over (its command line
     * says {@code --standby} for life, so the endpoint in the store tells).
     */
    List<ProcessHandle> processes(String role, String name) {
        long active = activePid(name);
        return processes(role, name, p -> !isStandby(p) || p.pid() == active);
    }

    /** Live warm standbys of monitor position {@code name} that have not taken over. */
    List<ProcessHandle> standbys(String name) {
        long active = activePid(name);
        return processes("monitor", name, p -> isStandby(p) && p.pid() != active);
    }

    private long activePid(String position) {
        try {
            return position.contains("/") ? monitorEndpoint(position).map(MonitorEndpoint::pid).orElse(-1L) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean isStandby(ProcessHandle process) {
        return process.info().arguments().map(List::of).orElse(List.of()).contains("--standby");
    }

    private List<ProcessHandle> processes(String role, String name, java.util.function.Predicate<ProcessHandle> which) {
        String homeArg = home.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            return args.contains(homeArg) && args.contains(role) && args.contains(name);
        }).filter(which).toList();
    }

    private <R> Optional<R> status(java.net.InetSocketAddress endpoint, Route<NoBody, R> route) {
        try {
            return Optional.of(client.call(endpoint, route, NoBody.INSTANCE, Duration.ofSeconds(2)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Optional<AgentReply> agentStatus(String node) {
        return status(plan.agentEndpoint(node), ClusterRoutes.AGENT_STATUS);
    }

    Optional<MonitorEndpoint> monitorEndpoint(String position) throws Exception {
        return MonitorEndpoint.read(store, position);
    }

    Optional<MonitorReply> monitorStatus(String position) throws Exception {
        Optional<MonitorEndpoint> endpoint = monitorEndpoint(position);
        return endpoint.flatMap(e -> status(new java.net.InetSocketAddress(e.address(), e.port()),
                ClusterRoutes.MONITOR_STATUS));
    }

    /** All jobs the agents report, with the node in each status. */
    List<JobStatus> jobs() {
        return plan.nodes().stream().flatMap(n -> agentStatus(n.name()).map(r -> r.jobs().stream())
                .orElse(Stream.empty())).toList();
    }

    String log(String name) {
        try {
            Path log = home.resolve("logs").resolve(name + ".log");
            return Files.exists(log) ? Files.readString(log) : "(no log " + log + ")";
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void signal(ProcessHandle process, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    /** The tail of every process log, for the test report (what happened when an assertion failed). */
    void printLogs() {
        try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("==== " + log.getFileName() + " (last 40 of " + lines.size() + " lines)");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            }
        } catch (IOException e) {
            System.out.println("no logs: " + e);
        }
    }

    @Override
    public void close() {
        printLogs();
        // a process being killed may have launched another a moment before (an agent starting its coordinator): kill
        // until nothing of ours has been seen for half a second (one such coordinator once outlived its test)
        try {
            org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100)).until(() -> killOurs() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("processes of " + home + " kept appearing: " + e.getMessage());
        }
        store.close();
    }

    /** Kills every process of this cluster (by its home) and every job (by the marker); how many there were. */
    private int killOurs() {
        String homeArg = home.toAbsolutePath().toString();
        List<ProcessHandle> ours = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> p.info()
                .arguments().map(args -> List.of(args).contains(homeArg) || List.of(args).contains(MARKER))
                .orElse(false)).toList();
        ours.forEach(p -> {
            try {
                signal(p, "CONT");
            } catch (Exception ignored) {
                // gone
            }
            p.destroyForcibly();
        });
        for (ProcessHandle p : ours) {
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the next sweep, if it lives
            }
        }
        return ours.size();
    }
}
