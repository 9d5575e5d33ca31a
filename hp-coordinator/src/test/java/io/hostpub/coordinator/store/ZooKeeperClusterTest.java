package io.hostpub.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/** Fencing on a 3-server ZooKeeper ensemble while one server dies: quorum keeps the store consistent and available. */
class ZooKeeperClusterTest {

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
