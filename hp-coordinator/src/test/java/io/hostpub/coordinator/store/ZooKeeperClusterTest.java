package io.hostpub.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/** Fencing on a 3-server ZooKeeper ensemble while one server dies: quorum keeps the store consistent and available. */
class ZooKeeperClusterTest {

    /**
     * Without a quorum a fence cannot be confirmed, and the store says so promptly (a coordinator's poll cycle waits
     * on it) instead of waiting through Curator's retries; with the quorum back the same fence is confirmed again.
     */
    @Test
    void withoutAQuorumAFenceCannotBeConfirmedAndTheCallFailsPromptly() throws Exception {
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            try (ZooKeeperStore store = ZooKeeperStore.connect(cluster.getConnectString(), "/hostpub",
                    Duration.ofSeconds(10), Duration.ofSeconds(20))) {
                Fence fence = store.acquire("monitor/local/q", "one");
                store.confirm(fence);
                List<InstanceSpec> servers = List.copyOf(cluster.getInstances());
                assertThat(cluster.killServer(servers.get(0))).isTrue();
                assertThat(cluster.killServer(servers.get(1))).isTrue();

                // the surviving server drops its clients when it loses the quorum; from then on calls fail fast
                await().atMost(Duration.ofSeconds(30)).until(() -> failsConfirming(store, fence));
                long started = System.nanoTime();
                assertThatThrownBy(() -> store.confirm(fence)).isInstanceOf(StoreException.class)
                        .isNotInstanceOf(StaleEpochException.class).hasMessageContaining("no server with a quorum");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("within the reconnect wait")
                        .isLessThan(ZooKeeperStore.RECONNECT_WAIT.plusSeconds(3));

                assertThat(cluster.restartServer(servers.get(0))).isTrue();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(StoreException.class)
                        .untilAsserted(() -> store.confirm(fence));
            }
        }
    }

    private static boolean failsConfirming(ZooKeeperStore store, Fence fence) throws StaleEpochException {
        try {
            store.confirm(fence);
            return false;
        } catch (StaleEpochException e) {
            throw e;
        } catch (StoreException e) {
            return e.getMessage().contains("no server with a quorum");
        }
    }

    @Test
    void fencingHoldsAcrossAServerKill() throws Exception {
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            try (ZooKeeperStore one = ZooKeeperStore.connect(cluster.getConnectString(), "/hostpub",
                    Duration.ofSeconds(10), Duration.ofSeconds(20));
                    ZooKeeperStore two = ZooKeeperStore.connect(cluster.getConnectString(), "/hostpub",
                            Duration.ofSeconds(10), Duration.ofSeconds(20))) {
                Fence old = one.acquire("monitor/local/default", "one");
                one.put(old, "checkpoint", "before".getBytes(StandardCharsets.UTF_8));

                InstanceSpec victim = cluster.getInstances().iterator().next();
                assertThat(cluster.killServer(victim)).isTrue();

                // a successor is granted and writes through the surviving quorum (clients fail over by themselves)
                Fence fresh = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> two.acquire("monitor/local/default", "two"), f -> f != null);
                await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StoreException.class)
                        .untilAsserted(() -> two.put(fresh, "checkpoint", "after".getBytes(StandardCharsets.UTF_8)));
                await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> !(e instanceof StaleEpochException))
                        .untilAsserted(() -> assertThatThrownBy(() -> one.put(old, "checkpoint",
                                "stale".getBytes(StandardCharsets.UTF_8))).isInstanceOf(StaleEpochException.class));
                assertThat(one.get("monitor/local/default", "checkpoint").map(b -> new String(b,
                        StandardCharsets.UTF_8))).contains("after");

                assertThat(cluster.restartServer(victim)).isTrue();
                assertThat(two.current("monitor/local/default")).contains(fresh);
            }
        }
    }
}
