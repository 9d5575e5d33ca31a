package io.hostpub.it.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.it.bench.BenchResults;
import io.hostpub.testing.Containers;
import io.hostpub.testing.TestBed;
import io.hostpub.testing.TestMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures of the test bed of machines (network namespaces on one bridge), with {@code -Pbench}, as root:
 * <ul>
 *   <li>{@code api-instances-cross-host.json}: {@code GET /hpadmin/api/instances?machine=A} answered by the WAR on
 *       machine op for machine a with 8 instances: every request walks the supervisor handshake, the registry and one
 *       RMI call per instance across the bridge. curl on op sends the requests over one connection and reports each
 *       transfer's own time.</li>
 *   <li>{@code machines-cluster.json}: the cluster scenarios of {@link ClusterAcrossHostsTest} run
 *       {@code bench.machineRuns} times each (3 by default): machine crash -> its job running elsewhere; partition ->
 *       the minority's coordinator stops acting, and the majority's successor places the job; heal -> converged;
 *       ZooKeeper quorum lost -> every coordinator stops acting, and back.</li>
 * </ul>
 */
@Tag("bench")
class MachinesBenchmark {

    static final int REQUESTS = Integer.getInteger("bench.apiRequests", 200);
    static final int WARMUP = 50;
    static final int RUNS = Integer.getInteger("bench.machineRuns", 3);
    static final String PASSWORD = "bench-" + ProcessHandle.current().pid();

    @TempDir
    Path home;

    @Test
    void crossHostInstanceList() throws Exception {
        Object made = TestBed.tryCreate("a", "op");
        Assumptions.assumeTrue(made instanceof TestBed, () -> "no test bed of network namespaces here: " + made);
        List<TestMachine> machines = new ArrayList<>();
        try (TestBed bed = (TestBed) made) {
            Path secret = home.resolve("secret");
            InstallationSecret.loadOrCreate(secret);
            TestMachine a = machine(bed, "a", secret, "", machines);
            TestMachine op = machine(bed, "op", secret, "<adminPassword>" + PASSWORD + "</adminPassword>", machines);
            for (int i = 1; i <= 8; i++) {
                a.startRuntime("a" + i, 0);
            }
            Containers.ContainerClone war = Containers.start(op, Containers.Distribution.JETTY_12);
            String url = war.url("/hpadmin/api/instances?machine=" + bed.host("a").address());
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> OnHost.curl(bed.host("op"), "admin:" + PASSWORD, url).json().get("instances").size(),
                            n -> n == 8);
            transfers(bed.host("op"), url, WARMUP);
            long[] micros = transfers(bed.host("op"), url, REQUESTS);
            BenchResults results = new BenchResults();
            results.latency("api-instances-cross-host", "hostpub", 8, micros, null);
            results.write();
        } finally {
            machines.forEach(TestMachine::close);
        }
    }

    @Test
    void machineCrashPartitionHealAndQuorum() throws Exception {
        ClusterAcrossHostsTest.FIGURES.clear();
        for (int run = 1; run <= RUNS; run++) {
            scenario(run, "crash", ClusterAcrossHostsTest::theHierarchySpansMachinesOnAZooKeeperEnsembleAndALostMachinesJobMovesOnce);
            scenario(run, "partition", ClusterAcrossHostsTest::aPartitionedCoordinatorStopsActingAndAfterHealingEveryJobRunsOnce);
            scenario(run, "quorum", ClusterAcrossHostsTest::withoutAZooKeeperQuorumCoordinatorsStopActingAndAgentsKeepTheirJobs);
        }
        BenchResults results = new BenchResults();
        ClusterAcrossHostsTest.FIGURES.forEach((what, samples) -> {
            long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", "machines-cluster");
            row.put("event", what);
            row.put("runs", sorted.length);
            row.put("minMs", sorted[0]);
            row.put("medianMs", sorted[sorted.length / 2]);
            row.put("maxMs", sorted[sorted.length - 1]);
            row.put("samplesMs", sorted);
            row.put("pollIntervalMs", 500);
            results.facts("machines-cluster", row);
        });
        results.write();
    }

    private interface Scenario {
        void run(ClusterAcrossHostsTest test) throws Exception;
    }

    /** One scenario on a fresh test bed, as JUnit runs the test: its own directory, set up, torn down. */
    private void scenario(int run, String name, Scenario scenario) throws Exception {
        ClusterAcrossHostsTest test = new ClusterAcrossHostsTest();
        test.home = Files.createDirectories(home.resolve(name + "-" + run));
        test.setUp();
        try {
            scenario.run(test);
        } finally {
            test.tearDown();
        }
    }

    private static TestMachine machine(TestBed bed, String host, Path secret, String more, List<TestMachine> machines)
            throws Exception {
        Path conf = Files.createDirectories(secret.getParent().resolve(host).resolve("conf"));
        Files.copy(secret, conf.resolve("secret"));
        TestMachine machine = TestMachine.on(bed.host(host), conf.getParent(), "<hostpub><bindAddress>"
                + bed.host(host).address() + "</bindAddress>" + more + "</hostpub>");
        machines.add(machine);
        return machine;
    }

    /** {@code count} GETs of {@code url} by one curl on {@code host}, one connection: each transfer's time, µs. */
    private static long[] transfers(TestBed.Host host, String url, int count) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "-u", "admin:" + PASSWORD, "-w",
                "%{http_code} %{time_total}\\n"));
        for (int i = 0; i < count; i++) {
            command.addAll(List.of("-o", "/dev/null", url));
        }
        Process curl = new ProcessBuilder(host.command(command)).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(10, TimeUnit.MINUTES)).isTrue();
        List<String> lines = output.lines().toList();
        assertThat(lines).as(output).hasSize(count).allMatch(l -> l.startsWith("200 "));
        return lines.stream().mapToLong(l -> Math.round(Double.parseDouble(l.substring(4)) * 1_000_000)).toArray();
    }
}
