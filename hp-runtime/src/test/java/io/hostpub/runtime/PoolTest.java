package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.AdminException;
import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.ConnectionState;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.runtime.pool.LicensedPool;
import io.hostpub.runtime.pool.PoolSpec;
import io.hostpub.testing.FreePorts;
import java.util.List;
import org.h2.tools.Server;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Licensed pools against a real H2 backend, administered over the real RMI path. */
class PoolTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    HostpubRuntime supervisor;
    HostpubRuntime worker;
    AdminServer workerAdmin;

    @BeforeEach
    void setUp() throws Exception {
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(4).withLicenseWaitMs(1_000));
        supervisor = machine.start("sup");
        worker = machine.start("worker");
        workerAdmin = machine.locator().locate(machine.address()).instance("worker").orElseThrow().admin();
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    private int inUse() {
        return supervisor.licenseTally().orElseThrow().inUse();
    }

    private PoolInfo poolInfo() throws Exception {
        return workerAdmin.pools().get(0);
    }

    @Test
    void eachPhysicalConnectionHoldsOneLicenseUnit() throws Exception {
        LicensedPool pool = worker.pools().create(PoolSpec.h2("orders", "pool-test-1", 2, 3));
        await().untilAsserted(() -> assertThat(worker.licenses().holdings()).isEqualTo(2));
        await().untilAsserted(() -> assertThat(inUse()).isEqualTo(2));

        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("select 42")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
            assertThat(poolInfo().connections()).extracting(ConnectionInfo::state).contains(ConnectionState.IN_USE);
        }
        await().untilAsserted(() -> assertThat(poolInfo().connections()).extracting(ConnectionInfo::state)
                .containsOnly(ConnectionState.IDLE));
        pool.close();
        assertThat(worker.licenses().holdings()).isZero();
        await().untilAsserted(() -> assertThat(inUse()).isZero());
    }

    @Test
    void deletingAConnectionClosesItAndGivesItsLicenseBack() throws Exception {
        LicensedPool pool = worker.pools().create(PoolSpec.h2("orders", "pool-test-2", 2, 2));
        await().untilAsserted(() -> assertThat(poolInfo().connections()).hasSize(2));
        long victim = poolInfo().connections().get(0).id();

        workerAdmin.deleteConnection("orders", victim);

        assertThat(poolInfo().connections()).extracting(ConnectionInfo::id).doesNotContain(victim);
        await().untilAsserted(() -> assertThat(inUse()).isEqualTo(worker.licenses().holdings()));
        // the pool keeps working: the dead connection is dropped and replaced
        for (int i = 0; i < 4; i++) {
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        await().untilAsserted(() -> assertThat(worker.licenses().holdings()).isEqualTo(2));
        assertThatThrownBy(() -> workerAdmin.deleteConnection("orders", victim)).isInstanceOf(AdminException.class)
                .hasMessageContaining("no live connection #" + victim);
        assertThatThrownBy(() -> workerAdmin.deleteConnection("nope", 1)).isInstanceOf(AdminException.class)
                .hasMessageContaining("no pool named nope");
    }

    @Test
    void softEvictReplacesIdleConnectionsAndTheTallyFollows() throws Exception {
        worker.pools().create(PoolSpec.h2("orders", "pool-test-3", 2, 2));
        await().untilAsserted(() -> assertThat(poolInfo().connections()).hasSize(2));
        var before = poolInfo().connections().stream().map(ConnectionInfo::id).toList();

        workerAdmin.softEvictPool("orders");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(poolInfo().connections()).hasSize(2)
                    .extracting(ConnectionInfo::id).doesNotContainAnyElementsOf(before);
            assertThat(inUse()).isEqualTo(2);
        });
    }

    @Test
    void poolWithoutLicensesFailsClearly() throws Exception {
        supervisor.licenses().acquire(4);
        LicensedPool pool = worker.pools().create(PoolSpec.h2("starved", "pool-test-4", 0, 1));
        // the pool times out, naming the real cause: the machine's license limit
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class)
                .rootCause().hasMessageContaining("machine license limit 4 reached");
        supervisor.licenses().release(4);
        try (Connection c = pool.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void failedConnectionsAreFoundShownAndDeletedTogetherGivingTheirUnitsBack() throws Exception {
        int port = FreePorts.next();
        Server database = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        try {
            failedConnectionsOf(database, port);
        } finally {
            database.stop();
        }
    }

    /**
     * The pool's database goes away (its H2 TCP server stops): the connection the application holds fails on its
     * next statement and the idle ones fail their check; all show as FAILED, with the reason, over the real RMI path,
     * each still holding its license unit; "delete failed connections" closes them all and gives the units back; the
     * database back, the pool serves again.
     */
    private void failedConnectionsOf(Server database, int port) throws Exception {
        LicensedPool pool = worker.pools().create(new PoolSpec("orders", "jdbc:h2:tcp://127.0.0.1:" + port
                + "/mem:failed-connections;DB_CLOSE_DELAY=-1", "org.h2.Driver", "sa", "", 3, 4, 2_000));
        Connection held = pool.getConnection();
        await().untilAsserted(() -> assertThat(poolInfo().connections()).hasSize(4)); // one in use and the 3 idle kept
        held.createStatement().execute("SELECT 1");
        assertThat(workerAdmin.validatePool("orders")).as("a healthy pool has no failed connection").isZero();

        database.stop(); // the database goes away; its sockets close
        assertThatThrownBy(() -> held.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(poolInfo().connections()).filteredOn(c -> c.state() == ConnectionState.FAILED).hasSize(1)
                .allMatch(c -> c.failure().startsWith("connection error "));
        int idle = (int) poolInfo().connections().stream().filter(c -> c.state() == ConnectionState.IDLE).count();
        assertThat(workerAdmin.validatePool("orders")).isEqualTo(1 + idle);
        List<ConnectionInfo> failed = poolInfo().connections();
        assertThat(failed).isNotEmpty().allMatch(c -> c.state() == ConnectionState.FAILED && !c.failure().isEmpty());
        assertThat(worker.licenses().holdings()).as("failed connections hold their units until deleted")
                .isEqualTo(failed.size());

        assertThat(workerAdmin.deleteFailedConnections("orders")).isEqualTo(failed.size());
        await().untilAsserted(() -> assertThat(worker.licenses().holdings()).isZero());
        assertThat(poolInfo().connections()).noneMatch(c -> c.state() == ConnectionState.FAILED);
        assertThat(workerAdmin.deleteFailedConnections("orders")).isZero();
        held.close();

        Server again = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        try (Connection connection = pool.getConnection()) {
            connection.createStatement().execute("SELECT 1");
        } finally {
            again.stop();
        }
        await().untilAsserted(() -> assertThat(worker.licenses().holdings()).isGreaterThan(0));
        assertThat(worker.events().newest(10)).extracting(e -> e.message())
                .anyMatch(m -> m.contains("failed connection(s) of pool orders deleted"));
    }
}
