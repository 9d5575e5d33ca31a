package io.hostpub.runtime.pool;

import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.ConnectionState;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One physical backend connection holding one license unit, which it gives back exactly once, when it is
 * physically closed (by the pool, or deleted by an operator). The pool sees it through a
 * {@link Connection} proxy that also implements {@link Tracked}.
 */
final class PhysicalConnection implements InvocationHandler {

    /** What the pool facade finds when it unwraps a pooled connection. */
    interface Tracked {
        PhysicalConnection physical();
    }

    private final long id;
    private final Connection delegate;
    private final Runnable releaseLicense;
    private final Runnable onClosed;
    private final Clock clock;
    private final Instant createdAt;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Instant lastUsedAt;
    private volatile ConnectionState state = ConnectionState.IDLE;
    /** Why it is broken, with when; null while it is not known to be. */
    private volatile String failure;

    private PhysicalConnection(long id, Connection delegate, Runnable releaseLicense, Runnable onClosed, Clock clock) {
        this.id = id;
        this.delegate = delegate;
        this.releaseLicense = releaseLicense;
        this.onClosed = onClosed;
        this.clock = clock;
        this.createdAt = clock.instant();
        this.lastUsedAt = createdAt;
    }

    static Connection wrap(PhysicalConnection physical) {
        return (Connection) Proxy.newProxyInstance(PhysicalConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class, Tracked.class}, physical);
    }

    static PhysicalConnection of(long id, Connection delegate, Runnable releaseLicense, Runnable onClosed,
            Clock clock) {
        return new PhysicalConnection(id, delegate, releaseLicense, onClosed, clock);
    }

    long id() {
        return id;
    }

    ConnectionState state() {
        return state;
    }

    boolean isDeleted() {
        return state == ConnectionState.DELETED;
    }

    /** Broken and still open: it holds its license unit until deleted or closed. */
    boolean isFailed() {
        return failure != null && !closed.get();
    }

    /**
     * Asks the driver whether the connection still works, unless the application is using it (a JDBC connection
     * serves one user at a time: the pool itself validates a connection it lends or keeps alive).
     *
     * @return true if it was found broken now
     */
    boolean validateIdle(int timeoutSeconds) {
        if (closed.get() || state != ConnectionState.IDLE || failure != null) {
            return false;
        }
        try {
            if (!delegate.isValid(timeoutSeconds)) {
                failed("validation failed (the driver's isValid)");
            }
        } catch (SQLException e) {
            failed("validation failed: " + e.getMessage());
        }
        return failure != null;
    }

    private void failed(String why) {
        if (failure == null && !closed.get()) {
            failure = why + " at " + clock.instant();
        }
    }

    /**
     * A statement of this connection whose connection errors mark the connection failed: a database that went away
     * shows first in the statement the application runs.
     */
    private Object watched(Object statement, Class<?> type) {
        return Proxy.newProxyInstance(PhysicalConnection.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        noteFailure(e.getCause());
                        throw e.getCause();
                    }
                });
    }

    /** A connection error (SQLState class 08) means the connection is gone, whatever the statement was. */
    private void noteFailure(Throwable error) {
        if (error instanceof java.sql.SQLNonTransientConnectionException || error instanceof SQLException sql
                && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            failed("connection error " + ((SQLException) error).getSQLState() + ": " + error.getMessage());
        }
    }

    void borrowed() {
        if (!closed.get()) {
            state = ConnectionState.IN_USE;
            lastUsedAt = clock.instant();
        }
    }

    void returned() {
        if (!closed.get()) {
            state = ConnectionState.IDLE;
            lastUsedAt = clock.instant();
        }
    }

    /** Operator deletion: closes the physical connection now; the pool drops it when it next touches it. */
    void delete() {
        closePhysically(ConnectionState.DELETED);
    }

    ConnectionInfo describe() {
        Instant now = clock.instant();
        boolean broken = isFailed();
        return new ConnectionInfo(id, broken ? ConnectionState.FAILED : state, createdAt, Math.max(0,
                now.toEpochMilli() - createdAt.toEpochMilli()), lastUsedAt, broken ? truncated(failure) : "");
    }

    private static String truncated(String text) {
        return text.length() <= 2_000 ? text : text.substring(0, 1_997) + "...";
    }

    private void closePhysically(ConnectionState finalState) {
        if (closed.compareAndSet(false, true)) {
            state = finalState;
            try {
                delegate.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            } finally {
                releaseLicense.run();
                onClosed.run();
            }
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (method.getDeclaringClass() == Tracked.class) {
            return this;
        }
        if (method.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "PhysicalConnection#" + id + "[" + state + "]";
            };
        }
        switch (name) {
            case "close" -> {
                closePhysically(isDeleted() ? ConnectionState.DELETED : ConnectionState.CLOSED);
                return null;
            }
            case "isClosed" -> {
                if (closed.get()) {
                    return true;
                }
            }
            case "isValid" -> {
                if (closed.get()) {
                    return false;
                }
            }
            case "unwrap", "isWrapperFor" -> {
                Class<?> type = (Class<?>) args[0];
                if (type.isInstance(proxy)) {
                    return name.equals("unwrap") ? proxy : Boolean.TRUE;
                }
            }
            case "clearWarnings", "rollback" -> {
                // the pool's cleanup when the application returns a connection an operator deleted: nothing to clear,
                // and the database rolled back what was open when the connection closed
                if (closed.get() && (args == null || args.length == 0)) {
                    return null;
                }
            }
            default -> {
                if (closed.get()) {
                    throw new SQLException("connection #" + id + " was " + state.name().toLowerCase()
                            + " and is closed", "08003");
                }
            }
        }
        lastUsedAt = clock.instant();
        try {
            Object result = method.invoke(delegate, args);
            if (name.equals("isValid") && Boolean.FALSE.equals(result)) {
                failed("validation failed (the driver's isValid, asked by the pool)");
            }
            return result instanceof java.sql.Statement && method.getReturnType().isInterface()
                    ? watched(result, method.getReturnType()) : result;
        } catch (InvocationTargetException e) {
            noteFailure(e.getCause());
            throw e.getCause();
        }
    }
}
