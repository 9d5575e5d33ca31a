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
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import io.hostpub.coordinator.api.rollout.WarPiece;
import io.hostpub.coordinator.api.rollout.WarPieceQuery;
import io.hostpub.coordinator.rollout.Rollouts;
import io.hostpub.coordinator.rollout.WarFetch;
import io.hostpub.coordinator.rollout.WarShelf;
import io.hostpub.coordinator.rollout.WarVersions;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.JournalStore;
import io.hostpub.coordinator.wire.ClusterServer;
import io.hostpub.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real agents with homes of their own (two machines' disks) and one store: a rollout keeps a WAR under the home of
 * the machine it ran on, and the other node's agent, told to start a member of the new version, fetches it from its
 * peer in pieces, checks it and starts the member with its own copy. A version nobody keeps fails the start and
 * leaves nothing half-written; a peer answers only for a file with the SHA-256 asked for.
 */
class WarFetchTest {

    @TempDir
    Path dir;

    private CoordinatorStore store;
    private ClusterPlan plan;
    private ClusterClient client;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        store = JournalStore.open(dir.resolve("store"));
        int agentPort = FreePorts.next();
        Application web = new Application("web", 2, List.of("sleep", "600", Application.WAR), null, 0, null, "local/l1", null, null, "clone", null,
                "/opt/hostpub/HostPublisher.war");
        plan = new ClusterPlan(250, agentPort, FreePorts.next(), null, List.of(new ClusterPlan.Node("n1",
                "127.0.0.2"), new ClusterPlan.Node("n2", "127.0.0.3")), List.of(new MonitorPosition("local/l1",
                        List.of("n1", "n2"), null)), List.of(web), null, null);
        client = ClusterWire.plain(new RequestSigner(InstallationSecret.loadOrCreate(dir.resolve("secret")),
                Clock.systemUTC())).client(Duration.ofSeconds(1));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        store.close();
    }

    /** The agent of {@code node} on its own home, serving and fetching versions as {@code hpctl agent} does. */
    private HostAgent agent(String node, Path home) throws Exception {
        WarShelf shelf = new WarShelf(home);
        WarFetch fetch = new WarFetch(node, shelf, store, () -> plan, client);
        closing.add(fetch);
        HostAgent agent = HostAgent.start(new AgentSettings(node, plan.agentEndpoint(node), home.resolve("nodes")
                .resolve(node), HostAgentTest.FAST, Duration.ofSeconds(5)), store, ClusterWire.plain(
                        new RequestSigner(InstallationSecret.loadOrCreate(dir.resolve("secret")), Clock.systemUTC())),
                Clock.systemUTC(), () -> { }, HostAgent.JobListener.NONE, new ClusterServer.Routes()
                        .on(ClusterRoutes.WAR_PIECE, shelf::piece), fetch::command);
        closing.add(() -> agent.stopAllJobsAndClose(Duration.ofSeconds(5)));
        return agent;
    }

    /** A WAR of about {@code bytes} incompressible bytes: several pieces on the wire. */
    private Path war(String name, int bytes, long seed) throws IOException {
        Path war = dir.resolve(name);
        byte[] content = new byte[bytes];
        new Random(seed).nextBytes(content);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/"));
            zip.closeEntry();
            ZipEntry blob = new ZipEntry("WEB-INF/lib/blob.bin");
            blob.setMethod(ZipEntry.STORED);
            blob.setSize(bytes);
            CRC32 crc = new CRC32();
            crc.update(content);
            blob.setCrc(crc.getValue());
            zip.putNextEntry(blob);
            zip.write(content);
            zip.closeEntry();
        }
        return war;
    }

    /** What {@code hpctl rollout} does on machine {@code home}: keeps the WAR, writes the rollout record. */
    private Version rollOut(Path home, String label, Path war) throws Exception {
        Version version = WarVersions.keep(home, "web", label, war);
        Rollouts.start(store, plan, "web", version, 1, 0, Duration.ofSeconds(120), "test", Instant.now());
        return version;
    }

    /** Member {@code member} of {@code version}: it writes the WAR path it was given to {@code <dir>/<node>.war-path}. */
    private JobSpec member(int member, Version version) {
        return new JobSpec("web/clone-" + member, List.of("sh", "-c", "echo \"$0\" > \"" + dir + "/$HOSTPUB_NODE"
                + ".war-path\"; exec sleep 600", version.war()), Map.of(), 0, null, version.label());
    }

    @Test
    void aNodeWithoutTheVersionFetchesItFromThePeerThatKeepsItAndRunsItsOwnCopy() throws Exception {
        Path machineA = dir.resolve("machine-a");
        Path machineB = dir.resolve("machine-b");
        HostAgent a = agent("n1", machineA);
        HostAgent b = agent("n2", machineB);
        Path war = war("web-2.war", 3 * WarPiece.MAX_DATA + 12_345, 2);
        Version version = rollOut(machineA, "0002", war);
        // what b kept of earlier rollouts: a version no member can run again, and another application's
        Path stale = WarVersions.file(machineB, "web", "0000");
        Path others = WarVersions.file(machineB, "api", "0000");
        for (Path file : List.of(stale, others)) {
            Files.createDirectories(file.getParent());
            Files.copy(war, file);
        }

        b.startJob(member(2, version));
        Path copy = WarVersions.file(machineB, "web", "0002");
        JobStatus running = await().atMost(Duration.ofSeconds(30)).until(() -> HostAgentTest.job(b, "web/clone-2"),
                j -> j != null && j.state() == JobState.RUNNING);
        assertThat(copy).hasSameBinaryContentAs(war);
        // the member's command names the node's own copy, not the path on the machine the rollout ran on
        Path said = dir.resolve("n2.war-path");
        assertThat(running.spec().command()).as("the spec as the coordinator sent it").contains(version.war());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(said).exists());
        assertThat(Files.readString(said).trim()).isEqualTo(copy.toString());
        assertThat(leftovers(machineB)).as("no partial file left").isEmpty();
        assertThat(stale).as("a version the rollout no longer names").doesNotExist();
        assertThat(others).as("another application's version").exists();

        // on the machine that keeps it, the member runs the rollout's own file, nothing is fetched
        a.startJob(member(1, version));
        Path saidOnA = dir.resolve("n1.war-path");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(saidOnA).exists());
        assertThat(Files.readString(saidOnA).trim()).isEqualTo(version.war());

        // a restarted member on b finds its copy there
        long pid = running.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> HostAgentTest.job(b, "web/clone-2"),
                j -> j != null && j.state() == JobState.RUNNING && j.pid() != pid);
        assertThat(copy).hasSameBinaryContentAs(war);
    }

    @Test
    void withNoPeerServingItTheRolloutsOwnFileIsRunWhereItIsWhenReadable() throws Exception {
        Path machineA = dir.resolve("machine-a");
        Path machineB = dir.resolve("machine-b");
        HostAgent b = agent("n2", machineB); // n1 is down: nobody serves the version
        Version version = rollOut(machineA, "0005", war("web-5.war", 100_000, 5));

        b.startJob(member(2, version));
        await().atMost(Duration.ofSeconds(30)).until(() -> HostAgentTest.job(b, "web/clone-2"),
                j -> j != null && j.state() == JobState.RUNNING);
        Path said = dir.resolve("n2.war-path");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(said).exists());
        assertThat(Files.readString(said).trim()).as("a shared file system's file").isEqualTo(version.war());
        assertThat(WarVersions.file(machineB, "web", "0005")).doesNotExist();
        assertThat(leftovers(machineB)).isEmpty();
    }

    @Test
    void aVersionNoPeerKeepsFailsTheStartAndLeavesNothingBehind() throws Exception {
        Path machineA = dir.resolve("machine-a");
        Path machineB = dir.resolve("machine-b");
        agent("n1", machineA);
        HostAgent b = agent("n2", machineB);
        Version version = rollOut(machineA, "0003", war("web-3.war", 200_000, 3));
        Files.delete(Path.of(version.war())); // lost with the machine's disk, say

        b.startJob(member(2, version));
        JobStatus failed = await().atMost(Duration.ofSeconds(30)).until(() -> HostAgentTest.job(b, "web/clone-2"),
                j -> j != null && j.failedOut());
        assertThat(failed.pid()).as("never started").isZero();
        assertThat(WarVersions.file(machineB, "web", "0003")).doesNotExist();
        assertThat(leftovers(machineB)).isEmpty();
        assertThat(machineB.resolve("nodes").resolve("n2").resolve("logs").resolve("web_clone-2.log"))
                .as("no process of it ever ran").doesNotExist();
    }

    @Test
    void aPeerServesOnlyTheContentAskedForAndRefusesWhatItDoesNotKeep() throws Exception {
        Path machineA = dir.resolve("machine-a");
        agent("n1", machineA);
        Path war = war("web-4.war", WarPiece.MAX_DATA + 10, 4);
        Version version = rollOut(machineA, "0004", war);
        var a = plan.agentEndpoint("n1");

        WarPiece first = client.call(a, ClusterRoutes.WAR_PIECE, new WarPieceQuery("web", "0004", version.sha256(),
                0), Duration.ofSeconds(5));
        assertThat(first.size()).isEqualTo(Files.size(war));
        assertThat(first.data()).hasSize(WarPiece.MAX_DATA);
        WarPiece last = client.call(a, ClusterRoutes.WAR_PIECE, new WarPieceQuery("web", "0004", version.sha256(),
                WarPiece.MAX_DATA), Duration.ofSeconds(5));
        assertThat(last.data()).hasSize((int) (Files.size(war) - WarPiece.MAX_DATA));

        assertThatThrownBy(() -> client.call(a, ClusterRoutes.WAR_PIECE, new WarPieceQuery("web", "0004",
                "0".repeat(64), 0), Duration.ofSeconds(5))).isInstanceOf(ClusterRefusal.class)
                .hasMessageContaining("other content").satisfies(e -> assertThat(((ClusterRefusal) e).status())
                        .isEqualTo(404));
        assertThatThrownBy(() -> client.call(a, ClusterRoutes.WAR_PIECE, new WarPieceQuery("web", "0009",
                version.sha256(), 0), Duration.ofSeconds(5))).isInstanceOf(ClusterRefusal.class)
                .hasMessageContaining("not kept here");
        assertThatThrownBy(() -> client.call(a, ClusterRoutes.WAR_PIECE, new WarPieceQuery("web", "0004",
                version.sha256(), Files.size(war) + 1), Duration.ofSeconds(5))).isInstanceOf(ClusterRefusal.class)
                .hasMessageContaining("past the end").satisfies(e -> assertThat(((ClusterRefusal) e).status())
                        .isEqualTo(400));
        // a name that would leave the wars directory is no version name at all: refused on the wire (400)
        @SuppressWarnings({"unchecked", "rawtypes"})
        io.hostpub.coordinator.api.Route<Map<String, Object>, WarPiece> raw = new io.hostpub.coordinator.api.Route(
                ClusterRoutes.WAR_PIECE.path(), Map.class, WarPiece.class);
        assertThatThrownBy(() -> client.call(a, raw, Map.of("application", "web", "label", "../../conf/secret",
                "sha256", version.sha256(), "offset", 0), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(ClusterRefusal.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e).hasMessageContaining("version '../../conf/secret'");
                });
        assertThatThrownBy(() -> new WarPieceQuery("web", "../../conf/secret", version.sha256(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarPieceQuery("..", "0004", version.sha256(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Path> leftovers(Path home) throws IOException {
        Path wars = home.resolve("wars");
        if (!Files.exists(wars)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(wars)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
