package io.hostpub.coordinator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterProtocol;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.Route;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.poll.AgentReply.AgentState;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.job.RestartPolicy;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.JournalStore;
import io.hostpub.testing.SmallFileSystem;
import io.hostpub.testing.Trickler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host agent with real job processes (sleep, sh) and the embedded store. */
class HostAgentTest {

    static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 3,
            Duration.ofSeconds(60), Duration.ofSeconds(30));

    @TempDir
    Path home;

    CoordinatorStore store;
    RequestSigner signer;
    final List<HostAgent> agents = new ArrayList<>();
    final List<ProcessHandle> spawned = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        store = JournalStore.open(home.resolve("store"));
        signer = new RequestSigner(InstallationSecret.loadOrCreate(home.resolve("secret")), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        agents.forEach(HostAgent::close);
        spawned.forEach(ProcessHandle::destroyForcibly);
        store.close();
    }

    HostAgent agent(Runnable onSuperseded) throws Exception {
        HostAgent agent = HostAgent.start(new AgentSettings("n1", new InetSocketAddress("127.0.0.1", 0),
                home.resolve("n1"), FAST, Duration.ofSeconds(5)), store, ClusterWire.plain(signer), Clock.systemUTC(),
                onSuperseded);
        agents.add(agent);
        return agent;
    }

    static JobSpec sleeper(String name) {
        return sleeper(name, 600);
    }

    static JobSpec sleeper(String name, int seconds) {
        return new JobSpec(name, List.of("sleep", String.valueOf(seconds)), Map.of(), 0);
    }

    static JobStatus job(HostAgent agent, String name) throws Exception {
        return agent.jobs().stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
    }

    private JobStatus awaitRunning(HostAgent agent, String name, long notPid) {
        JobStatus status = await().atMost(Duration.ofSeconds(20)).until(() -> job(agent, name),
                j -> j != null && j.state() == JobState.RUNNING && j.pid() != 0 && j.pid() != notPid);
        ProcessHandle.of(status.pid()).ifPresent(spawned::add);
        return status;
    }

    @Test
    void aKilledJobIsSeenAndRestartedOnTheSameNode() throws Exception {
        HostAgent agent = agent(() -> { });
        agent.startJob(sleeper("app/clone-1"));
        JobStatus first = awaitRunning(agent, "app/clone-1", 0);

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // SIGKILL

        JobStatus second = awaitRunning(agent, "app/clone-1", first.pid());
        assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(second.statistics().failures()).isEqualTo(1);
        assertThat(second.statistics().restarts()).isEqualTo(1);
        assertThat(second.lastExit()).isEqualTo(137);
        assertThat(second.failedOut()).isFalse();
    }

    /**
     * The store on a real 64 KiB file system that fills up: a killed job was once left WANTRUN forever because its
     * restart could not be recorded. The agent must restart it anyway, keep the record, and write it once space
     * returns, without a restart of anything.
     */
    @Test
    void aFullDiskNeitherStopsSupervisionNorLosesTheRecordOnceSpaceReturns() throws Exception {
        try (SmallFileSystem small = SmallFileSystem.mount(home.resolve("small"), 64)) {
            try (CoordinatorStore smallStore = JournalStore.open(small.root().resolve("store"))) {
                HostAgent agent = HostAgent.start(new AgentSettings("n1", new InetSocketAddress("127.0.0.1", 0),
                        home.resolve("n1"), FAST, Duration.ofSeconds(5)), smallStore, ClusterWire.plain(signer),
                        Clock.systemUTC(), () -> { });
                agents.add(agent);
                agent.startJob(sleeper("app/clone-1"));
                JobStatus first = awaitRunning(agent, "app/clone-1", 0);

                // tmpfs gives space by the page: bring the journal close to the end of its last page, so that the
                // next job record needs a page the full file system no longer has
                Path journal = small.root().resolve("store").resolve("store.journal");
                var pad = smallStore.acquire("test/pad", "test");
                for (int i = 0; Files.size(journal) % 4096 < 4096 - 100; i++) {
                    long left = 4096 - 100 - Files.size(journal) % 4096;
                    smallStore.put(pad, "p" + i, new byte[(int) Math.max(1, Math.min(200, left - 40))]);
                }
                small.fill();
                ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
                JobStatus second = awaitRunning(agent, "app/clone-1", first.pid());
                assertThat(recordedPid(smallStore)).as("the store is full: the restart is not recorded yet")
                        .isNotEqualTo(second.pid());
                assertThat(agent.status().unrecordedJobs()).as("what the cluster view shows").isEqualTo(1);

                small.free();
                long freed = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> recordedPid(smallStore) == second.pid());
                System.out.printf("[disk] job record written %d ms after space returned%n",
                        (System.nanoTime() - freed) / 1_000_000);
                assertThat(agent.status().unrecordedJobs()).isZero();
                agent.close();
            }
        }
    }

    private static long recordedPid(CoordinatorStore store) throws Exception {
        byte[] record = store.get("agent/n1", "jobs/app/clone-1").orElseThrow();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(record).get("pid").asLong();
    }

    @Test
    void aCrashLoopBacksOffExponentiallyThenIsReportedFailedOut() throws Exception {
        HostAgent agent = agent(() -> { });
        Path starts = home.resolve("starts");
        agent.startJob(new JobSpec("app/crasher", List.of("sh", "-c", "date +%s%N >> '" + starts + "'; exit 3"),
                Map.of(), 0));
        JobStatus out = await().atMost(Duration.ofSeconds(30)).until(() -> job(agent, "app/crasher"),
                j -> j != null && j.failedOut());
        assertThat(out.state()).isEqualTo(JobState.IDLE);
        assertThat(out.statistics().failures()).isEqualTo(4); // the first run and 3 restarts (intensity 3)
        assertThat(out.statistics().restarts()).isEqualTo(3);
        assertThat(out.lastExit()).isEqualTo(3);
        List<Long> nanos = Files.readAllLines(starts).stream().map(Long::parseLong).toList();
        assertThat(nanos).hasSize(4);
        // back-off 0, 50, 100 ms before restarts 1, 2, 3: each gap at least its back-off (no upper bound: a busy
        // machine only makes gaps longer)
        long[] minimum = {0, 50, 100};
        for (int i = 0; i < 3; i++) {
            assertThat((nanos.get(i + 1) - nanos.get(i)) / 1_000_000).as("gap before restart %d", i + 1)
                    .isGreaterThanOrEqualTo(minimum[i]);
        }
        // the failed-out job stays reported until the coordinator moves it; then it can be forgotten
        agent.forgetJob("app/crasher");
        assertThat(job(agent, "app/crasher")).isNull();
        assertThat(store.list("agent/n1")).isEmpty();
    }

    @Test
    void aNewAgentAdoptsTheRunningJobsOfItsPredecessorWithoutStartingThemTwice() throws Exception {
        AtomicBoolean superseded = new AtomicBoolean();
        HostAgent old = agent(() -> superseded.set(true));
        old.startJob(sleeper("app/a", 601));
        old.startJob(sleeper("app/b", 601));
        long a = awaitRunning(old, "app/a", 0).pid();
        long b = awaitRunning(old, "app/b", 0).pid();
        old.close(); // as if killed: the jobs keep running
        ProcessHandle.of(b).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(b).isEmpty()
                || !ProcessHandle.of(b).get().isAlive());

        HostAgent successor = agent(() -> { });
        JobStatus adopted = job(successor, "app/a");
        assertThat(adopted.state()).isEqualTo(JobState.RUNNING);
        assertThat(adopted.pid()).as("the running job is adopted, not started again").isEqualTo(a);
        JobStatus restarted = awaitRunning(successor, "app/b", b);
        assertThat(restarted.pid()).isNotEqualTo(b);
        long sleepers = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).equals(List.of("601"))).orElse(false))
                .count();
        assertThat(sleepers).as("exactly one process per job").isEqualTo(2);

        // the adopted job is still watched: killed, it is restarted
        ProcessHandle.of(a).orElseThrow().destroyForcibly();
        awaitRunning(successor, "app/a", a);
        assertThat(superseded).isFalse();
    }

    @Test
    void anAgentSupersededByANewerOneOfItsNodeStopsAtItsNextWrite() throws Exception {
        AtomicBoolean superseded = new AtomicBoolean();
        HostAgent old = agent(() -> superseded.set(true));
        HostAgent successor = agent(() -> { });
        assertThatThrownBy(() -> old.startJob(sleeper("app/x")))
                .hasMessageContaining("rejected");
        assertThat(superseded).isTrue();
        assertThat(old.agentState()).isEqualTo(AgentState.SUPERSEDED);
        assertThat(successor.agentState()).isEqualTo(AgentState.RUNNING);
    }

    @Test
    void aStoppedJobGetsSigtermEndsStoppedAndLeavesTheStore() throws Exception {
        HostAgent agent = agent(() -> { });
        agent.startJob(sleeper("app/s"));
        long pid = awaitRunning(agent, "app/s", 0).pid();
        assertThat(store.list("agent/n1")).containsKey("jobs/app/s");
        JobStatus stopping = agent.stopJob("app/s");
        assertThat(stopping.state()).isIn(JobState.WANTSTOP, JobState.IDLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> job(agent, "app/s") == null);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(store.list("agent/n1")).isEmpty();
    }

    @Test
    void pollsOverTheSignedEndpointKeepTheBestElectionValueAndUnsignedCallsAreRefused() throws Exception {
        HostAgent agent = agent(() -> { });
        ClusterClient client = new ClusterClient(signer, Duration.ofSeconds(2));
        AgentReply first = client.call(agent.address(), ClusterRoutes.AGENT_POLL, new Poll("local/l1",
                new ElectionValue(5, "c5"), "e"), Duration.ofSeconds(5));
        assertThat(first.best()).isEqualTo(new ElectionValue(5, "c5"));
        AgentReply lower = client.call(agent.address(), ClusterRoutes.AGENT_POLL, new Poll("local/l1",
                new ElectionValue(3, "c3"), "e"), Duration.ofSeconds(5));
        assertThat(lower.best()).as("a worse poller learns of the better one").isEqualTo(new ElectionValue(5, "c5"));
        assertThat(agent.parents().lastPolled("local/l1")).isPresent();

        URI poll = URI.create("http://" + agent.address().getHostString() + ":" + agent.address().getPort() + "/poll");
        HttpResponse<String> unversioned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(poll)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unversioned.statusCode()).isEqualTo(400);
        assertThat(unversioned.body()).contains("cluster protocol version missing").contains("speaks version "
                + ClusterProtocol.VERSION);
        HttpResponse<String> oldVersion = HttpClient.newHttpClient().send(HttpRequest.newBuilder(poll)
                .header(ClusterProtocol.VERSION_HEADER, "1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(oldVersion.statusCode()).isEqualTo(400);
        assertThat(oldVersion.body()).contains("version '1' not supported");
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(poll)
                .header(ClusterProtocol.VERSION_HEADER, String.valueOf(ClusterProtocol.VERSION))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);

        RequestSigner foreign = new RequestSigner(InstallationSecret.loadOrCreate(home.resolve("other-secret")),
                Clock.systemUTC());
        assertThatThrownBy(() -> new ClusterClient(foreign, Duration.ofSeconds(2)).call(agent.address(),
                ClusterRoutes.AGENT_STATUS, NoBody.INSTANCE, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(ClusterRefusal.class, e -> assertThat(e.status()).isEqualTo(401));
        Route<Map<String, Object>, JobStatus> malformedStart = new Route<>(ClusterRoutes.JOB_START.path(),
                mapType(), JobStatus.class);
        assertThatThrownBy(() -> client.call(agent.address(), malformedStart, Map.of("name", "no-slash",
                "command", List.of("x"), "environment", Map.of(), "httpPort", 0), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(ClusterRefusal.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e).hasMessageContaining("application/member");
                });
    }

    /**
     * A signed request captured on the wire was once accepted again 9 s later, and by another agent: a signature now
     * covers the destination and a nonce that is good for one use.
     */
    @Test
    void aSignedRequestIsSingleUseAndBoundToItsDestination() throws Exception {
        HostAgent agent = agent(() -> { });
        String authority = agent.address().getHostString() + ":" + agent.address().getPort();
        URI status = URI.create("http://" + authority + ClusterRoutes.AGENT_STATUS.path());
        byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest captured = HttpRequest.newBuilder(status)
                .header(ClusterProtocol.VERSION_HEADER, String.valueOf(ClusterProtocol.VERSION))
                .header("Authorization", signer.sign("POST", authority, status.getPath(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(captured, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = http.send(captured, HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("replayed");

        // captured on its way to another agent and sent here as it was, Host header included
        String elsewhere = agent.address().getHostString() + ":" + (agent.address().getPort() + 1);
        String misdirected;
        try (java.net.Socket socket = new java.net.Socket(agent.address().getAddress(), agent.address().getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST " + status.getPath() + " HTTP/1.1\r\nHost: " + elsewhere + "\r\n"
                    + ClusterProtocol.VERSION_HEADER + ": " + ClusterProtocol.VERSION + "\r\nAuthorization: "
                    + signer.sign("POST", elsewhere, status.getPath(), body) + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n{}";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            misdirected = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(misdirected).as("signed for another peer, sent to this one").startsWith("HTTP/1.1 421");
        assertThat(misdirected).contains("another destination");
    }

    /**
     * Unsigned slow-loris clients on the agent's port: each sends a request line and then a header line byte by byte,
     * never finishing its head. They once took every thread of the agent's server, its coordinator's status calls
     * timed out and the node was declared dead. Signed calls must go through meanwhile, and every slow connection
     * must be cut off at the server's deadline however it paces its bytes. The latencies are printed as figures.
     */
    @Test
    void slowUnsignedClientsNeitherStarveSignedCallsNorKeepTheirConnections() throws Exception {
        HostAgent agent = agent(() -> { });
        ClusterClient client = new ClusterClient(signer, Duration.ofSeconds(2));
        byte[] head = ("POST /status HTTP/1.1\r\nHost: agent\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] line = "X-Slow: 1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Trickler flood = Trickler.open(agent.address(), 80, head, line, Duration.ofMillis(500))) {
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                AgentReply status = client.call(agent.address(), ClusterRoutes.AGENT_STATUS, NoBody.INSTANCE,
                        Duration.ofSeconds(5));
                nanos.add(System.nanoTime() - start);
                assertThat(status.state()).isEqualTo(AgentState.RUNNING);
            }
            nanos.sort(null);
            System.out.printf("[flood] agent port, 80 slow-loris connections: signed status p50 %.1f ms, p99 %.1f ms%n",
                    nanos.get(10) / 1e6, nanos.get(19) / 1e6);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(flood.stillOpen()).isZero());
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<Map<String, Object>> mapType() {
        return (Class<Map<String, Object>>) (Class<?>) Map.class;
    }
}
