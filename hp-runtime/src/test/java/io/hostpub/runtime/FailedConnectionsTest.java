package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.ConnectionState;
import io.hostpub.runtime.pool.LicensedPool;
import io.hostpub.runtime.pool.PoolSpec;
import io.hostpub.testing.FreePorts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool's database goes away (its H2 TCP server stops): the connection the application holds fails on its next
 * statement and the idle ones fail their check; all show as FAILED, with the reason, over the real RMI path, each
 * still holding its license unit; "delete failed connections" closes them all and gives the units back; the database
 * back, the pool serves again.
 */
class FailedConnectionsTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    HostpubRuntime supervisor;
    HostpubRuntime worker;
    AdminServer workerAdmin;
    Server database;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        port = FreePorts.next();
        database = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(10).withLicenseWaitMs(1_000));
        supervisor = machine.start("sup");
        worker = machine.start("worker");
        workerAdmin = machine.locator().locate(machine.address()).instance("worker").orElseThrow().admin();
    }

    @AfterEach
    void tearDown() {
        machine.close();
        database.stop();
    }

    private int inUse() {
        return supervisor.licenseTally().orElseThrow().inUse();
    }

    private List<ConnectionInfo> connections() throws Exception {
        return workerAdmin.pools().get(0).connections();
    }

    @Test
    void failedConnectionsAreFoundShownAndDeletedTogetherGivingTheirUnitsBack() throws Exception {
        LicensedPool pool = worker.pools().create(new PoolSpec("orders", "jdbc:h2:tcp://127.0.0.1:" + port
                + "/mem:failed-connections;DB_CLOSE_DELAY=-1", "org.h2.Driver", "sa", "", 3, 4, 2_000));
        Connection held = pool.getConnection();
        await().untilAsserted(() -> assertThat(connections()).hasSize(4)); // one in use and the 3 idle kept
        held.createStatement().execute("SELECT 1");
        assertThat(workerAdmin.validatePool("orders")).as("a healthy pool has no failed connection").isZero();

        database.stop(); // the database goes away; its sockets close
        assertThatThrownBy(() -> held.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(connections()).filteredOn(c -> c.state() == ConnectionState.FAILED).hasSize(1)
                .allMatch(c -> c.failure().startsWith("connection error "));
        int idle = (int) connections().stream().filter(c -> c.state() == ConnectionState.IDLE).count();
        assertThat(workerAdmin.validatePool("orders")).isEqualTo(1 + idle);
        List<ConnectionInfo> failed = connections();
        assertThat(failed).isNotEmpty().allMatch(c -> c.state() == ConnectionState.FAILED && !c.failure().isEmpty());
        assertThat(worker.licenses().holdings()).as("failed connections hold their units until deleted")
                .isEqualTo(failed.size());

        assertThat(workerAdmin.deleteFailedConnections("orders")).isEqualTo(failed.size());
        await().untilAsserted(() -> assertThat(worker.licenses().holdings()).isZero());
        assertThat(connections()).noneMatch(c -> c.state() == ConnectionState.FAILED);
        assertThat(workerAdmin.deleteFailedConnections("orders")).isZero();
        held.close();

        database = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        try (Connection again = pool.getConnection()) {
            again.createStatement().execute("SELECT 1");
        }
        await().untilAsserted(() -> assertThat(worker.licenses().holdings()).isGreaterThan(0));
        assertThat(worker.events().newest(10)).extracting(e -> e.message())
                .anyMatch(m -> m.contains("failed connection(s) of pool orders deleted"));
    }
}
