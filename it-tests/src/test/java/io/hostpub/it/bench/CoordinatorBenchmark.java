package io.hostpub.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.agent.AgentSettings;
import io.hostpub.coordinator.agent.HostAgent;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.job.RestartPolicy;
import io.hostpub.coordinator.monitor.Monitor;
import io.hostpub.coordinator.monitor.MonitorEndpoint;
import io.hostpub.coordinator.monitor.StandbyNotice;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.JournalStore;
import io.hostpub.testing.FreePorts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster supervision's reaction times (issue 4 targets): job crash to detection (<= 10 ms) and to serving HTTP
 * again (container start + 100 ms), coordinator kill -9 to a new active coordinator (<= 3 s at a 1 s poll), and
 * two duplicate coordinators launched to one left (JVM starts included). Results in
 * {@code target/bench/coordinator.json}.
 */
@Tag("bench")
class CoordinatorBenchmark {

    static final int CRASHES = 30;
    static final int SERVING_RUNS = 8;
    static final int COORDINATOR_KILLS = 10;
    /** More than the cold rows: a takeover costs no JVM start, and a p95 of ten runs is only their slowest. */
    static final int STANDBY_KILLS = 30;

    @TempDir
    Path home;

    final BenchResults results = new BenchResults();

    @Test
    void reactionTimes() throws Exception {
        // -Dhostpub.it.bench.part=jobs|coordinator|standby runs one part (coordinator includes standby)
        String part = System.getProperty("hostpub.it.bench.part", "all");
        if (part.equals("all") || part.equals("jobs")) {
            jobCrashDetection();
            jobServingAgain();
        }
        if (part.equals("all") || part.equals("coordinator")) {
            coordinatorFailoverAndDuplicates();
        }
        if (!part.equals("jobs")) {
            coordinatorStandbyTakeover();
        }
        results.write();
        Path dir = Path.of(System.getProperty("hostpub.it.benchDir", "target/bench"));
        BenchCharts.renderCoordinator(results.rows("coordinator"), dir);
    }

    private HostAgent agent(CoordinatorStore store, String node, HostAgent.JobListener listener) throws Exception {
        RequestSigner signer = new RequestSigner(InstallationSecret.loadOrCreate(home.resolve("secret")),
                Clock.systemUTC());
        return HostAgent.start(new AgentSettings(node, new InetSocketAddress("127.0.0.1", 0), home.resolve(node),
                new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 1000, Duration.ofSeconds(60),
                        Duration.ofSeconds(1)), Duration.ofSeconds(5)), store, ClusterWire.plain(signer),
                Clock.systemUTC(), () -> { },
                listener, new io.hostpub.coordinator.wire.ClusterServer.Routes(),
                io.hostpub.coordinator.agent.JobCommands.AS_GIVEN);
    }

    /** kill -9 of a job's process to the agent's onExit handling (the moment it starts the restart back-off). */
    private void jobCrashDetection() throws Exception {
        BlockingQueue<Long> deaths = new ArrayBlockingQueue<>(16);
        BlockingQueue<Long> starts = new ArrayBlockingQueue<>(16);
        try (CoordinatorStore store = JournalStore.open(home.resolve("store-crash"));
                HostAgent agent = agent(store, "bench", new HostAgent.JobListener() {
                    @Override
                    public void started(String job, long pid) {
                        starts.add(pid);
                    }

                    @Override
                    public void died(String job, long pid, Integer exitCode) {
                        deaths.add(System.nanoTime());
                    }
                })) {
            agent.startJob(new JobSpec("bench/sleeper", List.of("sleep", "600"), Map.of(), 0));
            long pid = starts.poll(30, TimeUnit.SECONDS);
            long[] micros = new long[CRASHES];
            for (int i = 0; i < CRASHES; i++) {
                ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
                long killed = System.nanoTime();
                victim.destroyForcibly();
                long detected = deaths.poll(30, TimeUnit.SECONDS);
                micros[i] = (detected - killed) / 1_000;
                pid = starts.poll(30, TimeUnit.SECONDS);
            }
            agent.stopJob("bench/sleeper");
            results.latency("coordinator", "job-crash-detected", 1, micros, null);
        }
    }

    /**
     * An embedded Jetty clone with HostPublisher.war as the job: its cold start (spawn to HTTP 200), and kill -9 to
     * HTTP 200 again after the agent restarted it.
     */
    private void jobServingAgain() throws Exception {
        int port = FreePorts.next();
        Path cloneDir = Path.of(System.getProperty("hostpub.it.cloneDir")).toAbsolutePath();
        String classPath = cloneDir.resolve("hp-clone.jar") + java.io.File.pathSeparator
                + cloneDir.resolve("jetty-lib") + java.io.File.separator + "*";
        Path cloneHome = home.resolve("clone-home");
        JobSpec spec = new JobSpec("bench/jetty", List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dhostpub.home=" + cloneHome,
                "-Dhostpub.supervisorPort=" + FreePorts.next(), "-cp", classPath, "io.hostpub.clone.JettyClone",
                "--port", String.valueOf(port), "--war", Path.of(System.getProperty("hostpub.it.war"))
                        .toAbsolutePath().toString(), "--work", home.resolve("jetty-work").toString()),
                Map.of("HOSTPUB_HOME", cloneHome.toString()), port);
        BlockingQueue<Long> starts = new ArrayBlockingQueue<>(16);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/HostPublisher/hpadmin/login")).timeout(Duration.ofSeconds(2)).build();
        try (CoordinatorStore store = JournalStore.open(home.resolve("store-serving"));
                HostAgent agent = agent(store, "bench-http", new HostAgent.JobListener() {
                    @Override
                    public void started(String job, long pid) {
                        starts.add(pid);
                    }
                })) {
            long[] cold = new long[SERVING_RUNS];
            long[] again = new long[SERVING_RUNS];
            for (int i = 0; i < SERVING_RUNS; i++) {
                long begin = System.nanoTime();
                agent.startJob(spec);
                long pid = starts.poll(30, TimeUnit.SECONDS);
                awaitServing(http, probe);
                cold[i] = (System.nanoTime() - begin) / 1_000;

                long killed = System.nanoTime();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                awaitNotServing(http, probe);
                awaitServing(http, probe);
                again[i] = (System.nanoTime() - killed) / 1_000;
                starts.poll(30, TimeUnit.SECONDS);
                agent.stopJob("bench/jetty");
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.jobs().isEmpty());
            }
            results.latency("coordinator", "jetty-clone-cold-start", 1, cold, null);
            results.latency("coordinator", "job-crash-serving-again", 1, again, null);
        }
    }

    private static void awaitServing(HttpClient http, HttpRequest probe) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO)
                .ignoreExceptions().until(() -> http.send(probe, HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200);
    }

    private static void awaitNotServing(HttpClient http, HttpRequest probe) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).pollDelay(Duration.ZERO)
                .until(() -> {
                    try {
                        return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() != 200;
                    } catch (Exception refused) {
                        return true;
                    }
                });
    }

    /**
     * Three agents (127.0.0.2-4) at a 1 s poll: kill -9 of the active coordinator to a new ACTIVE one; then two
     * extra coordinators to exactly one left (from the moment the last newcomer polls).
     */
    private void coordinatorFailoverAndDuplicates() throws Exception {
        ThreeAgents cluster = ThreeAgents.launch(home.resolve("cluster"), false);
        List<ClusterPlan.Node> nodes = cluster.plan().nodes();
        Launcher launcher = cluster.launcher();
        String homeArg = cluster.homeArg();
        ClusterClient client = cluster.client();
        cluster.measure(store -> {
            long[] failover = new long[COORDINATOR_KILLS];
            long[] duplicates = new long[COORDINATOR_KILLS];
            ProcessHandle active = awaitActive(store, client, homeArg, -1);
            for (int i = 0; i < COORDINATOR_KILLS; i++) {
                long killed = System.nanoTime();
                active.destroyForcibly();
                active = awaitActive(store, client, homeArg, active.pid());
                failover[i] = (System.nanoTime() - killed) / 1_000;

                // two duplicates on the other nodes (a JVM start each): launch to exactly one coordinator left
                String node = endpoint(store).orElseThrow().node();
                long epoch = store.current(Monitor.scope("local/l1")).orElseThrow().epoch();
                long launched = System.nanoTime();
                for (ClusterPlan.Node other : nodes) {
                    if (!other.name().equals(node)) {
                        launcher.launchMonitor("local/l1", other.name());
                    }
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> store.current(Monitor.scope("local/l1")).orElseThrow().epoch() > epoch);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> monitors(homeArg).size() == 1);
                duplicates[i] = (System.nanoTime() - launched) / 1_000;
                active = awaitActive(store, client, homeArg, -1);
            }
            results.latency("coordinator", "coordinator-kill-to-active-1s-poll", 3, failover, null);
            results.latency("coordinator", "duplicates-launched-to-one-left-1s-poll", 3, duplicates, null);
        });
    }

    /**
     * The same three agents with {@code "standby": true}: the active coordinator keeps a warm standby process linked
     * to its death-watch socket; {@code kill -9} of the active one to the first {@code /status} of a new one that
     * says ACTIVE, and whether that was the standby (no JVM started on the failover path).
     */
    private void coordinatorStandbyTakeover() throws Exception {
        ThreeAgents cluster = ThreeAgents.launch(home.resolve("standby"), true);
        String homeArg = cluster.homeArg();
        ClusterClient client = cluster.client();
        cluster.measure(store -> {
            long[] takeover = new long[STANDBY_KILLS];
            int byStandby = 0;
            ProcessHandle active = awaitActive(store, client, homeArg, -1);
            for (int i = 0; i < STANDBY_KILLS; i++) {
                long activePid = active.pid();
                StandbyNotice standby = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .ignoreExceptions().until(() -> StandbyNotice.read(store, "local/l1").orElseThrow(),
                                n -> n.linked() && n.pid() != activePid);
                // the standby has rehearsed and linked; let the active one finish the cycle that published it
                long killed = System.nanoTime();
                active.destroyForcibly();
                active = awaitActive(store, client, homeArg, activePid);
                takeover[i] = (System.nanoTime() - killed) / 1_000;
                if (active.pid() == standby.pid()) {
                    byStandby++;
                }
            }
            results.latency("coordinator", "coordinator-kill-to-active-warm-standby-1s-poll", 3, takeover, null)
                    .put("takenOverByTheStandby", byStandby);
        });
    }

    private static void printLogs(Path logs) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                List<String> lines = java.nio.file.Files.readAllLines(log);
                System.out.println("==== " + log.getFileName());
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
            }
        }
    }

    private static List<ProcessHandle> monitors(String homeArg) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> p.info().arguments()
                .map(a -> List.of(a).contains(homeArg) && List.of(a).contains("monitor")).orElse(false)).toList();
    }

    private static Optional<MonitorEndpoint> endpoint(CoordinatorStore store) throws Exception {
        return MonitorEndpoint.read(store, "local/l1");
    }

    /** Waits for a coordinator other than {@code notPid} to report ACTIVE; returns its process. */
    private static ProcessHandle awaitActive(CoordinatorStore store, ClusterClient client, String homeArg,
            long notPid) {
        long pid = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO)
                .ignoreExceptions().until(() -> {
                    MonitorEndpoint endpoint = endpoint(store).orElseThrow();
                    if (endpoint.pid() == notPid) {
                        return -1L;
                    }
                    MonitorReply status = client.call(new InetSocketAddress(endpoint.address(), endpoint.port()),
                            ClusterRoutes.MONITOR_STATUS, NoBody.INSTANCE, Duration.ofSeconds(1));
                    return status.state() == MonitorState.ACTIVE ? status.pid() : -1L;
                }, p -> p > 0);
        assertThat(monitors(homeArg)).extracting(ProcessHandle::pid).contains(pid);
        return ProcessHandle.of(pid).orElseThrow();
    }

    /** Three agent processes on 127.0.0.2-4 at a 1 s poll, one local position, launched; the store is the caller's. */
    private record ThreeAgents(Path home, ClusterPlan plan, Launcher launcher, String homeArg, ClusterClient client,
            CoordinatorStore store) {
        static ThreeAgents launch(Path home, boolean standby) throws Exception {
            List<ClusterPlan.Node> nodes = List.of(new ClusterPlan.Node("n1", "127.0.0.2"),
                    new ClusterPlan.Node("n2", "127.0.0.3"), new ClusterPlan.Node("n3", "127.0.0.4"));
            ClusterPlan plan = new ClusterPlan(1000, FreePorts.next(), FreePorts.next(), null, nodes,
                    List.of(new MonitorPosition("local/l1", List.of("n1", "n2", "n3"), null, standby)),
                    List.<Application>of(), null, null);
            plan.write(home);
            InstallationSecret secret = InstallationSecret.loadOrCreate(home.resolve("conf").resolve("secret"));
            Launcher launcher = new Launcher(plan, home);
            ClusterClient client = new ClusterClient(new RequestSigner(secret, Clock.systemUTC()),
                    Duration.ofSeconds(1));
            CoordinatorStore store = JournalStore.open(home.resolve("coordinator"));
            for (ClusterPlan.Node node : nodes) {
                launcher.launchAgent(node.name());
            }
            return new ThreeAgents(home, plan, launcher, home.toAbsolutePath().toString(), client, store);
        }

        /** Runs the rounds; prints the processes' logs if they fail; kills every process of the home after. */
        void measure(Rounds rounds) throws Exception {
            try (CoordinatorStore closing = store) {
                rounds.run(closing);
            } catch (Exception | AssertionError e) {
                printLogs(home.resolve("logs"));
                throw e;
            } finally {
                // a process being killed may have launched another a moment before (an agent its coordinator, a
                // coordinator its standby): kill until none of this home has been seen for half a second
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> killAll() == 0);
            }
        }

        private int killAll() {
            List<ProcessHandle> ours = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(homeArg)).orElse(false)).toList();
            ours.forEach(ProcessHandle::destroyForcibly);
            return ours.size();
        }
    }

    private interface Rounds {
        void run(CoordinatorStore store) throws Exception;
    }
}
