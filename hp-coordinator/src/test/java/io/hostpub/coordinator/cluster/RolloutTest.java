package io.hostpub.coordinator.cluster;

import static io.hostpub.coordinator.cluster.Clusters.RECOVERY;
import static io.hostpub.coordinator.cluster.Clusters.local;
import static io.hostpub.coordinator.cluster.Clusters.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.job.HealthCheck;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import io.hostpub.coordinator.rollout.Rollouts;
import io.hostpub.coordinator.rollout.WarVersions;
import io.hostpub.testing.FreePorts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling WAR rollouts over real agent, coordinator and job processes ({@link WarServerJob}, which serves the version
 * of the WAR it deployed): members are replaced one at a time while a client requests every member outside the
 * current step throughout; the coordinator is killed with {@code kill -9} in the middle and its successor finishes;
 * a WAR that fails to deploy is rolled back; an aborted rollout goes back; bad requests change nothing.
 */
class RolloutTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void membersAreReplacedOneAtATimeWhileTheOthersServeAcrossACoordinatorKillAndBadVersionsRollBack()
            throws Exception {
        int port = FreePorts.consecutive(3);
        Application shop = new Application("shop", 3, ClusterFixture.javaJob(home, WarServerJob.class, "{port}",
                Application.WAR), Map.of(), port, null, "local/l1", null, null, "job",
                new HealthCheck("/health", 200, 1000, 3, 20_000), war("one", false).toString());
        ClusterPlan plan = plan(2, List.of(local("l1", "n1", "n2")), List.of(shop));
        try (ClusterFixture cluster = new ClusterFixture(home, plan);
                MemberSampler sampler = new MemberSampler(cluster, port)) {
            cluster.startAgents();
            await().atMost(RECOVERY).untilAsserted(() -> assertServes(sampler, cluster, "one"));
            sampler.start();

            // 1. a good version, with the coordinator killed once the first member serves it
            Rollout started = Rollouts.start(cluster.store, plan, "shop", WarVersions.keep(home, "shop", "0001",
                    war("two", false)), 1, 0, STEP_TIMEOUT, "test", Instant.now());
            assertThat(started.from().label()).isEqualTo(Rollouts.PLAN_VERSION);
            await().atMost(RECOVERY).until(() -> rollout(cluster).members().values().stream()
                    .anyMatch(s -> s.state() == StepState.DONE));
            assertThat(rollout(cluster).phase()).isEqualTo(Phase.ROLLING);
            ProcessHandle coordinator = cluster.processes("monitor", "local/l1").get(0);
            coordinator.destroyForcibly();
            Rollout completed = await().atMost(RECOVERY.multipliedBy(2)).until(() -> rollout(cluster),
                    r -> !r.inProgress());
            assertThat(completed.phase()).as(completed.message()).isEqualTo(Phase.COMPLETED);
            assertThat(cluster.processes("monitor", "local/l1")).extracting(ProcessHandle::pid)
                    .doesNotContain(coordinator.pid());
            await().atMost(RECOVERY).untilAsserted(() -> assertServes(sampler, cluster, "two"));
            assertThat(cluster.jobs()).filteredOn(j -> j.state() == JobState.RUNNING).extracting(j -> j.spec()
                    .version()).containsOnly("0001").hasSize(3);
            System.out.printf("[rollout] 3 members replaced one at a time, coordinator killed in the middle: %d ms"
                    + " (%d ms per member)%n", Duration.between(completed.startedAt(), completed.updatedAt())
                    .toMillis(), Duration.between(completed.startedAt(), completed.updatedAt()).toMillis() / 3);

            // 2. a WAR that fails to deploy: its first member dies, over the budget of 0: everything back on 0001
            Rollouts.start(cluster.store, plan, "shop", WarVersions.keep(home, "shop", "0002", war("three", true)),
                    1, 0, STEP_TIMEOUT, "test", Instant.now());
            Rollout rolledBack = await().atMost(RECOVERY).until(() -> rollout(cluster), r -> !r.inProgress());
            assertThat(rolledBack.phase()).isEqualTo(Phase.ROLLED_BACK);
            assertThat(rolledBack.failures()).isEqualTo(1);
            assertThat(rolledBack.message()).contains("its process exited (3)");
            await().atMost(RECOVERY).untilAsserted(() -> assertServes(sampler, cluster, "two"));

            // 3. bad requests change nothing; an abort goes back
            assertThatThrownBy(() -> WarVersions.keep(home, "shop", "0003", Files.writeString(home.resolve(
                    "not.war"), "hello"))).hasMessageContaining("is not a WAR");
            assertThatThrownBy(() -> Rollouts.start(cluster.store, plan, "nosuch", completed.to(), 1, 0,
                    STEP_TIMEOUT, "test", Instant.now())).isInstanceOf(ClusterRefusal.class)
                    .hasMessageContaining("no application nosuch");
            assertThatThrownBy(() -> Rollouts.start(cluster.store, plan, "shop", completed.to(), 1, 0,
                    STEP_TIMEOUT, "test", Instant.now())).hasMessageContaining("runs version 0001 already");
            Rollouts.start(cluster.store, plan, "shop", WarVersions.keep(home, "shop", "0003", war("four", false)),
                    1, 0, STEP_TIMEOUT, "test", Instant.now());
            assertThatThrownBy(() -> Rollouts.start(cluster.store, plan, "shop", completed.to(), 1, 0,
                    STEP_TIMEOUT, "test", Instant.now())).isInstanceOf(ClusterRefusal.class)
                    .hasMessageContaining("runs since").hasMessageContaining("--abort");
            Rollouts.abort(cluster.store, "shop", "test", Instant.now());
            Rollout aborted = await().atMost(RECOVERY).until(() -> rollout(cluster), r -> !r.inProgress());
            assertThat(aborted.phase()).isEqualTo(Phase.ROLLED_BACK);
            assertThat(aborted.message()).contains("aborted by test");
            await().atMost(RECOVERY).untilAsserted(() -> assertServes(sampler, cluster, "two"));

            sampler.close();
            assertThat(sampler.violations).as("members outside the current step that did not answer").isEmpty();
            assertThat(sampler.checked.get()).as("member requests checked").isGreaterThan(100);
            System.out.printf("[rollout] %d requests to members outside the current step during 3 rollouts, all"
                    + " answered%n", sampler.checked.get());
        }
    }

    /** Every member answers with this version; else the failure says who did not and what the agents report. */
    private static void assertServes(MemberSampler sampler, ClusterFixture cluster, String version) {
        assertThat(sampler.versions()).as(() -> "versions served (null: no answer); jobs " + cluster.jobs())
                .containsOnly(version).hasSize(3);
    }

    private static Rollout rollout(ClusterFixture cluster) throws Exception {
        return Rollouts.read(cluster.store, "shop").orElseThrow();
    }

    /** A WAR for {@link WarServerJob}: its version text, and whether it fails to deploy. */
    private Path war(String version, boolean broken) throws IOException {
        Path war = home.resolve("upload-" + version + ".war");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/version.txt"));
            zip.write(version.getBytes(StandardCharsets.UTF_8));
            if (broken) {
                zip.putNextEntry(new ZipEntry("WEB-INF/broken"));
            }
        }
        return war;
    }

    /**
     * Requests every member that the rollout does not replace now, every 50 ms: reads the rollout, asks the members
     * outside its current step, reads the rollout again; when nothing changed in between, every one must have
     * answered.
     */
    private static final class MemberSampler implements AutoCloseable {
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger checked = new AtomicInteger();
        private final ClusterFixture cluster;
        private final int port;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        MemberSampler(ClusterFixture cluster, int port) {
            this.cluster = cluster;
            this.port = port;
            this.thread = new Thread(this::run, "rollout-member-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                try {
                    Rollout before = Rollouts.read(cluster.store, "shop").orElse(null);
                    List<String> answers = new ArrayList<>();
                    for (int i = 1; i <= 3; i++) {
                        String member = "shop/job-" + i;
                        if (before != null && before.members().get(member).state() == StepState.REPLACING) {
                            continue;
                        }
                        answers.add(member + ": " + version(port + i - 1));
                    }
                    Rollout after = Rollouts.read(cluster.store, "shop").orElse(null);
                    if (before != null && after != null && before.revision() == after.revision()
                            && before.inProgress()) {
                        checked.addAndGet(answers.size());
                        answers.stream().filter(a -> a.endsWith(": null")).forEach(a -> violations.add(a + " at "
                                + Instant.now() + " in " + before.progress()));
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    violations.add("sampler: " + e);
                }
            }
        }

        /** The version each member serves now (null: it does not answer). */
        List<String> versions() {
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                versions.add(version(port + i));
            }
            return versions;
        }

        /** What the member on {@code port} serves, on whichever node it runs. */
        private String version(int memberPort) {
            for (String address : List.of("127.0.0.2", "127.0.0.3")) {
                try {
                    HttpURLConnection http = (HttpURLConnection) URI.create("http://" + address + ":" + memberPort
                            + "/version").toURL().openConnection(Proxy.NO_PROXY);
                    http.setConnectTimeout(1000);
                    http.setReadTimeout(2000);
                    if (http.getResponseCode() == 200) {
                        return new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    }
                } catch (IOException e) {
                    // not on this node
                }
            }
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            // no interrupt: one in the middle of a journal read would close the fixture's store file channel
            running.set(false);
            thread.join(10_000);
        }
    }
}
