package io.hostpub.coordinator.store;

import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real ZooKeeper server (Curator's TestingServer, random port). */
class ZooKeeperStoreTest extends StoreContract {

    static TestingServer server;
    static int base;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    CoordinatorStore client() throws Exception {
        // each test method gets a base path of its own: the contract assumes a fresh store
        return ZooKeeperStore.connect(server.getConnectString(), "/hostpub/t" + testBase(), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    private int current = -1;

    private int testBase() {
        if (current < 0) {
            current = ++base;
        }
        return current;
    }
}
