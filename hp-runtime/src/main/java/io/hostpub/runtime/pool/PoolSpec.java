package io.hostpub.runtime.pool;

import java.util.Objects;

/**
 * What a licensed pool connects to and how big it may grow.
 *
 * @param driverClassName the JDBC driver, loaded by name: a driver in a web application's {@code WEB-INF/lib} is
 *        invisible to {@code DriverManager}'s own discovery (which Tomcat runs once, at start-up, for the whole JVM)
 */
public record PoolSpec(String name, String jdbcUrl, String driverClassName, String user, String password, int minIdle,
        int maxSize, long connectionTimeoutMs) {

    public PoolSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("pool name must be 1-64 of [A-Za-z0-9._-]: " + name);
        }
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(driverClassName, "driverClassName");
        if (maxSize < 1 || minIdle < 0 || minIdle > maxSize) {
            throw new IllegalArgumentException("need 0 <= minIdle <= maxSize, 1 <= maxSize");
        }
    }

    /** An in-memory H2 database (demo and tests). */
    public static PoolSpec h2(String name, String database, int minIdle, int maxSize) {
        return new PoolSpec(name, "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "org.h2.Driver", "sa", "", minIdle,
                maxSize, 5_000);
    }
}
