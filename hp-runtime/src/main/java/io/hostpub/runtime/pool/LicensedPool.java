package io.hostpub.runtime.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.DriverDataSource;
import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.license.LicenseException;
import io.hostpub.runtime.license.Licenses;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pooled JDBC {@link DataSource}: HikariCP in front of a data source that takes one machine-wide license
 * unit per physical connection and gives it back on physical close. Applications use this object; the
 * admin view lists every physical connection and can delete one or soft-evict the pool.
 */
public final class LicensedPool implements DataSource, AutoCloseable {

    /** HikariCP's minimum: a shorter keepalive it would switch off. */
    static final long KEEPALIVE_MS = 30_000;
    static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final PoolSpec spec;
    private final HikariDataSource hikari;
    private final Map<Long, PhysicalConnection> physical = new ConcurrentHashMap<>();

    LicensedPool(PoolSpec spec, Licenses licenses, String instance, Clock clock) {
        this.spec = spec;
        DriverDataSource driver = new DriverDataSource(spec.jdbcUrl(), spec.driverClassName(), new Properties(), spec.user(),
                spec.password());
        HikariConfig config = new HikariConfig();
        config.setPoolName(spec.name());
        config.setDataSource(new LicensingDataSource(driver, licenses, clock));
        config.setMaximumPoolSize(spec.maxSize());
        config.setMinimumIdle(spec.minIdle());
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Math.max(250, spec.connectionTimeoutMs()));
        // the library's own checks of idle connections (HikariCP's shortest keepalive); it also validates each
        // connection it lends after half a second idle; either closes a broken one, which gives its unit back
        config.setKeepaliveTime(KEEPALIVE_MS);
        config.setValidationTimeout(VALIDATION_TIMEOUT_SECONDS * 1_000L);
        config.setThreadFactory(new NamedThreads(instance + "-pool-" + spec.name()));
        this.hikari = new HikariDataSource(config);
    }

    public String name() {
        return spec.name();
    }

    @Override
    public Connection getConnection() throws SQLException {
        while (true) {
            Connection pooled = hikari.getConnection();
            PhysicalConnection phys = pooled.unwrap(PhysicalConnection.Tracked.class).physical();
            if (phys.isDeleted()) {
                hikari.evictConnection(pooled);
                continue;
            }
            phys.borrowed();
            return (Connection) Proxy.newProxyInstance(LicensedPool.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            phys.returned();
                        }
                        try {
                            return method.invoke(pooled, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's credentials are configured");
    }

    public PoolInfo describe() {
        HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
        List<ConnectionInfo> connections = physical.values().stream()
                .map(PhysicalConnection::describe)
                .sorted(Comparator.comparingLong(ConnectionInfo::id))
                .toList();
        int active = bean == null ? 0 : bean.getActiveConnections();
        int idle = bean == null ? 0 : bean.getIdleConnections();
        int waiting = bean == null ? 0 : bean.getThreadsAwaitingConnection();
        return new PoolInfo(spec.name(), spec.jdbcUrl(), spec.maxSize(), active, idle, waiting, connections);
    }

    /** @return false if there is no such live connection */
    public boolean deleteConnection(long id) {
        PhysicalConnection phys = physical.get(id);
        if (phys == null) {
            return false;
        }
        phys.delete();
        return true;
    }

    /**
     * Checks every idle connection now (one the application uses is checked by the pool when it comes back) and
     * marks the broken ones failed; they keep their license units until deleted.
     *
     * @return how many connections are failed now
     */
    public int validate() {
        physical.values().forEach(p -> p.validateIdle(VALIDATION_TIMEOUT_SECONDS));
        return (int) physical.values().stream().filter(PhysicalConnection::isFailed).count();
    }

    /** Deletes every failed connection, each giving its license unit back; how many there were. */
    public int deleteFailed() {
        int deleted = 0;
        for (PhysicalConnection phys : physical.values()) {
            if (phys.isFailed()) {
                phys.delete();
                deleted++;
            }
        }
        return deleted;
    }

    public void softEvict() {
        HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    @Override
    public void close() {
        hikari.close();
    }

    @Override public PrintWriter getLogWriter() { return null; }
    @Override public void setLogWriter(PrintWriter out) { }
    @Override public void setLoginTimeout(int seconds) { }
    @Override public int getLoginTimeout() { return 0; }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }
    @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }

    /** What HikariCP sees as its data source: each physical connection takes a license unit first. */
    private final class LicensingDataSource implements DataSource {
        private final DataSource driver;
        private final Licenses licenses;
        private final Clock clock;
        private final AtomicLong ids = new AtomicLong();

        LicensingDataSource(DataSource driver, Licenses licenses, Clock clock) {
            this.driver = driver;
            this.licenses = licenses;
            this.clock = clock;
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                licenses.acquire(1);
            } catch (LicenseException e) {
                throw new SQLException("no license for a new connection of pool " + spec.name() + ": "
                        + e.getMessage(), "08004", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while acquiring a license", e);
            }
            Connection raw;
            try {
                raw = driver.getConnection();
            } catch (SQLException | RuntimeException e) {
                licenses.release(1);
                throw e;
            }
            long id = ids.incrementAndGet();
            PhysicalConnection phys = PhysicalConnection.of(id, raw, () -> licenses.release(1),
                    () -> physical.remove(id), clock);
            physical.put(id, phys);
            return PhysicalConnection.wrap(phys);
        }

        @Override public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }
        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
        @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("not a wrapper"); }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}
