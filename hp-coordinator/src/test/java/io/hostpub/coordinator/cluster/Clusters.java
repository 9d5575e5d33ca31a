package io.hostpub.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.monitor.MonitorCheckpoint;
import io.hostpub.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What the cluster tests share: their plans, the steady state they await, and what they read off a cluster. */
final class Clusters {

    private Clusters() {
    }


    static final long POLL_MS = 250;
    static final Duration RECOVERY = Duration.ofSeconds(60);

    static ClusterPlan plan(int nodes, List<MonitorPosition> monitors, List<Application> apps) throws Exception {
        return new ClusterPlan(POLL_MS, FreePorts.next(), FreePorts.next(), null,
                ClusterFixture.nodes(nodes), monitors, apps, null, null);
    }

    static MonitorPosition local(String name, String... nodes) {
        return new MonitorPosition("local/" + name, List.of(nodes), null);
    }

    static Application sleepers(String name, int count, String monitor) {
        return new Application(name, count, ClusterFixture.sleeper(), null, 0, null, monitor, null, null, "clone");
    }

    /** The cluster of most tests: 3 nodes, one local coordinator, 3 jobs. */
    static ClusterFixture threeNodes(Path home) throws Exception {
        ClusterFixture cluster = new ClusterFixture(home, plan(3, List.of(local("l1", "n1", "n2", "n3")),
                List.of(sleepers("web", 3, "local/l1"))));
        try {
            cluster.startAgents();
            awaitSteady(cluster, 3);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** Exactly one coordinator, every agent up, {@code jobs} jobs running, one process each. */
    static void awaitSteady(ClusterFixture cluster, int jobs) {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(cluster.processes("monitor", "local/l1")).as("coordinators").hasSize(1);
            for (ClusterPlan.Node node : cluster.plan.nodes()) {
                assertThat(cluster.agentStatus(node.name())).as("agent " + node.name()).isPresent();
            }
            List<JobStatus> running = cluster.jobs().stream().filter(j -> j.state() == JobState.RUNNING).toList();
            assertThat(running).as("running jobs").hasSize(jobs);
            assertThat(ClusterFixture.jobProcesses()).as("job processes").hasSize(jobs);
        });
    }

    /** A figure for the site: a signed status call to an agent process, one connection each (as every poll). */
    static void printStatusLatency(ClusterFixture cluster, String wire) {
        long[] micros = new long[40];
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            assertThat(cluster.agentStatus("n1")).isPresent();
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        java.util.Arrays.sort(micros);
        System.out.printf("[wire] %s: signed status call to an agent p50 %.1f ms, p99 %.1f ms (%d calls)%n", wire,
                micros[micros.length / 2] / 1000.0, micros[micros.length * 99 / 100] / 1000.0, micros.length);
    }

    /** A PKCS#12 key store with one self-signed EC key for {@code names}, and its password file (0600), by keytool. */
    static void keyStore(Path store, Path passwordFile, String names) throws Exception {
        String password = "test-" + ProcessHandle.current().pid();
        java.nio.file.Files.writeString(passwordFile, password + "\n");
        java.nio.file.Files.setPosixFilePermissions(passwordFile,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cluster", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=hostpub-cluster", "-ext", "SAN=" + names, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", password).redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(said).isZero();
    }

    static ChildStatus child(ClusterFixture cluster, String node) throws Exception {
        return cluster.monitorStatus("local/l1").orElseThrow().children().stream()
                .filter(c -> c.name().equals(node)).findFirst().orElseThrow();
    }

    static ChildState childState(ClusterFixture cluster, String node) throws Exception {
        return child(cluster, node).state();
    }

    static MonitorCheckpoint checkpoint(ClusterFixture cluster) throws Exception {
        return cluster.store.get("monitor/local/l1", "checkpoint").map(b -> Json.read(b, MonitorCheckpoint.class))
                .orElse(null);
    }

    /** node:job -> pid of the running jobs. */
    static Map<String, Long> jobPids(ClusterFixture cluster) {
        return cluster.jobs().stream().filter(j -> j.pid() != 0).collect(Collectors.toMap(j -> j.node() + ":"
                + j.name(), JobStatus::pid));
    }

    static Set<String> names(List<JobStatus> jobs) {
        return jobs.stream().map(JobStatus::name).collect(Collectors.toSet());
    }

    /**
     * kill -9 of local/l1's coordinator; a successor comes, the cluster is steady again with {@code jobs} jobs, and
     * they are the same processes (adopted, not restarted).
     */
    static void killCoordinatorAndAwaitSuccessorKeepingTheJobs(ClusterFixture cluster, int jobs) {
        Map<String, Long> pids = jobPids(cluster);
        ProcessHandle coordinator = cluster.processes("monitor", "local/l1").get(0);
        coordinator.destroyForcibly();
        await().atMost(RECOVERY).until(() -> cluster.processes("monitor", "local/l1").stream()
                .anyMatch(p -> p.pid() != coordinator.pid()));
        awaitSteady(cluster, jobs);
        assertThat(jobPids(cluster)).as("the jobs were not restarted").isEqualTo(pids);
    }
}
