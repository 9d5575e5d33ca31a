package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.agent.AgentSettings;
import io.hostpub.coordinator.agent.HostAgent;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.job.RestartPolicy;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.JournalStore;
import io.hostpub.coordinator.view.ClusterView;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.SmallFileSystem;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator whose store fills up: its checkpoint failed every cycle with a stack trace in the log while the
 * cluster view said ACTIVE. It must say so in the view (and keep supervising), and recover by itself once space
 * returns. Real parts: a 64 KiB tmpfs, the embedded journal on it, a real agent as the monitor's only child.
 */
class MonitorStoreTroubleTest {

    @TempDir
    Path home;

    @Test
    void aFullStoreIsShownInTheViewWhileTheChildrenStaySupervisedAndClearsOnceSpaceReturns() throws Exception {
        int agentPort = FreePorts.next();
        ClusterPlan plan = new ClusterPlan(100, agentPort, FreePorts.next(), null,
                List.of(new ClusterPlan.Node("n1", "127.0.0.1")),
                List.of(new ClusterPlan.MonitorPosition("local/l1", List.of("n1"), List.of("n1"))), List.of(), null,
                null);
        RequestSigner signer = new RequestSigner(InstallationSecret.loadOrCreate(home.resolve("conf").resolve("secret")),
                Clock.systemUTC());
        ClusterClient client = new ClusterClient(signer, Duration.ofSeconds(1));
        try (SmallFileSystem small = SmallFileSystem.mount(home.resolve("small"), 64);
                CoordinatorStore agentStore = JournalStore.open(home.resolve("agent-store"));
                HostAgent agent = HostAgent.start(new AgentSettings("n1", plan.agentEndpoint("n1"), home.resolve("n1"),
                        new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 3, Duration.ofSeconds(60),
                                Duration.ofSeconds(30)), Duration.ofSeconds(5)), agentStore, ClusterWire.plain(signer),
                        Clock.systemUTC(), () -> { })) {
            try (CoordinatorStore store = JournalStore.open(small.root().resolve("store"));
                    Monitor monitor = Monitor.start(plan, "local/l1", "n1", new InetSocketAddress("127.0.0.1", 0),
                            store, ClusterWire.plain(signer), new Launcher(plan, home), Clock.systemUTC(), () -> { })) {
                ClusterView view = new ClusterView(plan, store, client, Clock.systemUTC(), Duration.ofSeconds(2));
                await().atMost(Duration.ofSeconds(20)).until(() -> local(view).state().equals("ACTIVE"));
                assertThat(local(view).storeProblem()).isNull();

                small.fill(); // every checkpoint (one per cycle) appends to the journal: one soon needs a new page
                ClusterReport.MonitorReport failing = await().atMost(Duration.ofSeconds(20))
                        .until(() -> local(view), m -> m.storeProblem() != null);
                assertThat(failing.storeProblem()).contains("No space left").contains("failed cycle(s)");
                assertThat(failing.state()).as("it goes on supervising").isEqualTo("ACTIVE");
                assertThat(failing.children()).singleElement().satisfies(child ->
                        assertThat(child.state()).isEqualTo(ChildState.UP));
                assertThat(ClusterView.render(view.report())).contains("STORE FAILS: ");
                long epoch = failing.epoch();

                small.free();
                ClusterReport.MonitorReport recovered = await().atMost(Duration.ofSeconds(20))
                        .until(() -> local(view), m -> m.storeProblem() == null);
                assertThat(recovered.epoch()).as("the same monitor, never restarted").isEqualTo(epoch);
                assertThat(recovered.state()).isEqualTo("ACTIVE");
                assertThat(MonitorCheckpoint.read(store, "local/l1").orElseThrow().at())
                        .as("checkpoints are written again").isAfter(java.time.Instant.now().minusSeconds(5));
            }
        }
    }

    private static ClusterReport.MonitorReport local(ClusterView view) throws Exception {
        return view.report().monitors().get(0);
    }
}
