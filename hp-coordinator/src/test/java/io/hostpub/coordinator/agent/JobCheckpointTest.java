package io.hostpub.coordinator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.checkpoint.CheckpointSave;
import io.hostpub.coordinator.checkpoints.Checkpoints;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.JournalStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints through a real agent: the token of the current instance, a stale instance refused, the size limit. */
class JobCheckpointTest {

    @TempDir
    Path home;

    CoordinatorStore store;
    HostAgent agent;
    ClusterClient client;

    @BeforeEach
    void setUp() throws Exception {
        store = JournalStore.open(home.resolve("store"));
        RequestSigner signer = new RequestSigner(InstallationSecret.loadOrCreate(home.resolve("secret")),
                Clock.systemUTC());
        agent = HostAgent.start(new AgentSettings("n1", new InetSocketAddress("127.0.0.1", 0), home.resolve("n1"),
                HostAgentTest.FAST, Duration.ofSeconds(5)), store, ClusterWire.plain(signer), Clock.systemUTC(),
                () -> { });
        client = ClusterWire.plain(signer).client(Duration.ofSeconds(1));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (JobStatus job : agent.jobs()) {
            ProcessHandle.of(job.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        agent.close();
        store.close();
    }

    private JobStatus running(String name, long notPid) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> agent.jobs().stream()
                .filter(j -> j.name().equals(name)).findFirst().orElse(null), j -> j != null
                && j.state() == JobState.RUNNING && j.pid() != 0 && j.pid() != notPid);
    }

    /** The token the agent gave the process, read from its environment as the job's own code would. */
    private static String token(long pid) throws Exception {
        for (String entry : new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
                StandardCharsets.UTF_8).split("\0")) {
            if (entry.startsWith(Checkpoints.TOKEN + "=")) {
                return entry.substring(Checkpoints.TOKEN.length() + 1);
            }
        }
        throw new AssertionError("no " + Checkpoints.TOKEN + " in the environment of " + pid);
    }

    private Checkpoints checkpoints(String job, String token) {
        return new Checkpoints(job, token, agent.address(), client);
    }

    @Test
    void onlyTheCurrentInstanceSavesAndEveryInstanceReadsTheLatest() throws Exception {
        agent.startJob(new JobSpec("app/counter", List.of("sleep", "600"), Map.of(), 0));
        JobStatus first = running("app/counter", 0);
        Checkpoints firstInstance = checkpoints("app/counter", token(first.pid()));
        assertThat(firstInstance.latest()).isEmpty();
        assertThat(firstInstance.save("one".getBytes(StandardCharsets.UTF_8)).sequence()).isEqualTo(1);
        assertThat(firstInstance.save("two".getBytes(StandardCharsets.UTF_8)).sequence()).isEqualTo(2);

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // the agent restarts it
        JobStatus second = running("app/counter", first.pid());
        Checkpoints secondInstance = checkpoints("app/counter", token(second.pid()));
        assertThat(new String(secondInstance.latest().orElseThrow().data(), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThatThrownBy(() -> firstInstance.save("stale".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ClusterRefusal.class).hasMessageContaining("not its current instance")
                .satisfies(e -> assertThat(((ClusterRefusal) e).status()).isEqualTo(409));
        assertThat(secondInstance.save("three".getBytes(StandardCharsets.UTF_8)).pid()).isEqualTo(second.pid());
        assertThat(new String(secondInstance.latest().orElseThrow().data(), StandardCharsets.UTF_8))
                .isEqualTo("three");

        // over the limit: refused by the client, and by the agent for a client that does not check
        byte[] big = new byte[Checkpoints.MAX_BYTES + 1];
        assertThatThrownBy(() -> secondInstance.save(big)).isInstanceOf(ClusterRefusal.class)
                .hasMessageContaining("at most " + Checkpoints.MAX_BYTES);
        assertThatThrownBy(() -> client.call(agent.address(), ClusterRoutes.CHECKPOINT_SAVE, new CheckpointSave(
                "app/counter", token(second.pid()), big), Duration.ofSeconds(5))).isInstanceOf(ClusterRefusal.class)
                .satisfies(e -> assertThat(((ClusterRefusal) e).status()).isEqualTo(413));
        assertThat(secondInstance.latest().orElseThrow().sequence()).as("nothing changed").isEqualTo(3);
        assertThatThrownBy(() -> checkpoints("app/nope", "x").latest()).isInstanceOf(ClusterRefusal.class)
                .hasMessageContaining("no job app/nope on node n1");
    }
}
