package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.JournalStore;
import io.hostpub.testing.FreePorts;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm standby's watch on the active monitor, against a real death-watch socket and store: it links under its
 * standby name, stands down when the active one stops on purpose, and takes over when nobody is at the endpoint.
 */
class WarmStandbyTest {

    @TempDir
    Path home;

    final RequestSigner signer = new RequestSigner(InstallationSecret.of(new byte[32]), Clock.systemUTC());

    final AtomicInteger takeOvers = new AtomicInteger();
    final AtomicInteger standDowns = new AtomicInteger();

    private static void publish(CoordinatorStore store, Fence fence, int watchPort) throws Exception {
        store.put(fence, MonitorEndpoint.KEY, Json.write(new MonitorEndpoint("127.0.0.1", 1, 4242, "n1", watchPort)));
    }

    /** An active monitor's death-watch socket on node n1, its endpoint in the store. */
    private WatchSocket active(CoordinatorStore store) throws Exception {
        WatchSocket active = WatchSocket.open(InetAddress.getByName("127.0.0.1"), "active", signer, Clock.systemUTC());
        publish(store, store.acquire(Monitor.scope("local/l1"), "active"), active.port());
        return active;
    }

    private WarmStandby standby(CoordinatorStore store, String node) {
        return WarmStandby.start("local/l1", node, true, store, signer, Duration.ofMillis(100),
                takeOvers::incrementAndGet, standDowns::incrementAndGet);
    }

    @Test
    void itLinksAsAStandbyAndStandsDownWhenTheActiveMonitorStopsOnPurpose() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home.resolve("store"))) {
            WatchSocket active = active(store);
            try (WarmStandby standby = standby(store, "n2")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> active.linked().stream()
                        .anyMatch(name -> StandbyNotice.ofLinkName(name).map(n -> n.node().equals("n2")
                                && n.pid() == ProcessHandle.current().pid()).orElse(false)));
                active.close(WatchSocket.STOPPING);
                await().atMost(Duration.ofSeconds(10)).until(() -> standDowns.get() == 1);
                assertThat(takeOvers).hasValue(0);
            }
        }
    }

    @Test
    void aDismissedStandbyStandsDownWhileTheActiveMonitorRunsOn() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home.resolve("store"))) {
            WatchSocket active = active(store);
            try (WarmStandby standby = standby(store, "n3")) {
                String name = StandbyNotice.linkName("n3", ProcessHandle.current().pid());
                await().atMost(Duration.ofSeconds(10)).until(() -> active.linked().contains(name));
                active.dismiss(name);
                await().atMost(Duration.ofSeconds(10)).until(() -> standDowns.get() == 1);
                assertThat(active.linked()).doesNotContain(name);
                assertThat(takeOvers).hasValue(0);
            } finally {
                active.close(WatchSocket.STOPPING);
            }
        }
    }

    @Test
    void itStandsDownWhenTheActiveMonitorRunsOnItsOwnNode() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home.resolve("store"))) {
            WatchSocket active = active(store);
            // the endpoint says node n1: a standby on n1 would die with the active one's machine
            try (WarmStandby standby = standby(store, "n1")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> standDowns.get() == 1);
                assertThat(takeOvers).hasValue(0);
            } finally {
                active.close(WatchSocket.STOPPING);
            }
        }
    }

    @Test
    void itTakesOverWhenTheActiveMonitorIsGone() throws Exception {
        try (CoordinatorStore store = JournalStore.open(home.resolve("store"))) {
            // the endpoint of a monitor whose process is gone: nothing listens on its death-watch port
            publish(store, store.acquire(Monitor.scope("local/l1"), "dead"), FreePorts.next());
            try (WarmStandby standby = standby(store, "n2")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> takeOvers.get() == 1);
                assertThat(standDowns).hasValue(0);
            }
        }
    }
}
