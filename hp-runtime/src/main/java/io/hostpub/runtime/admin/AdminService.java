package io.hostpub.runtime.admin;

import io.hostpub.admin.api.AdminException;
import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.LoggerLevel;
import io.hostpub.admin.api.model.MachineEvent;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.runtime.pool.LicensedPool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The exported {@link AdminServer} of one runtime: validates every argument, then delegates. */
public final class AdminService implements AdminServer {

    private static final Set<String> LEVELS = Set.of("OFF", "SEVERE", "WARNING", "INFO", "CONFIG", "FINE", "FINER",
            "FINEST", "ALL");

    private final AdministeredInstance runtime;
    /** java.util.logging keeps loggers weakly: hold the ones an operator configured. */
    private final Map<String, Logger> configuredLoggers = new ConcurrentHashMap<>();

    public AdminService(AdministeredInstance runtime) {
        this.runtime = runtime;
    }

    /** The instance this object administers. */
    String instanceName() {
        return runtime.name();
    }

    @Override
    public InstanceSummary summary() {
        return runtime.summary();
    }

    @Override
    public InstanceDetail detail() {
        return new InstanceDetail(runtime.summary(), runtime.jvmInfo(), runtime.applications(),
                runtime.pools().describe(), runtime.events().newest(50));
    }

    @Override
    public LicenseTally licenseTally() throws AdminException {
        return runtime.licenseTally().orElseThrow(() -> new AdminException("instance " + runtime.name()
                + " is not the supervisor (role " + runtime.role() + "); ask 'main'"));
    }

    @Override
    public List<PoolInfo> pools() {
        return runtime.pools().describe();
    }

    @Override
    public List<EventInfo> events(int max) {
        return runtime.events().newest(Math.min(Math.max(max, 0), 1_000));
    }

    @Override
    public void deleteConnection(String pool, long connectionId) throws AdminException {
        if (!pool(pool).deleteConnection(connectionId)) {
            throw new AdminException("pool " + pool + " has no live connection #" + connectionId);
        }
        runtime.events().record(EventKind.ADMIN, "connection #" + connectionId + " of pool " + pool + " deleted");
    }

    @Override
    public int validatePool(String pool) throws AdminException {
        int failed = pool(pool).validate();
        runtime.events().record(EventKind.POOL, "pool " + pool + " validated: " + failed + " failed connection(s)");
        return failed;
    }

    @Override
    public int deleteFailedConnections(String pool) throws AdminException {
        int deleted = pool(pool).deleteFailed();
        runtime.events().record(EventKind.ADMIN, deleted + " failed connection(s) of pool " + pool + " deleted");
        return deleted;
    }

    @Override
    public void softEvictPool(String pool) throws AdminException {
        pool(pool).softEvict();
        runtime.events().record(EventKind.ADMIN, "pool " + pool + " soft-evicted");
    }

    private LicensedPool pool(String name) throws AdminException {
        if (name == null) {
            throw new AdminException("pool name is missing");
        }
        return runtime.pools().pool(name).orElseThrow(() -> new AdminException("no pool named " + name));
    }

    @Override
    public void setLogLevel(String logger, String level) throws AdminException {
        if (logger == null || logger.length() > 200 || logger.chars().anyMatch(Character::isISOControl)) {
            throw new AdminException("invalid logger name");
        }
        String upper = level == null ? "" : level.strip().toUpperCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new AdminException("level must be one of " + LEVELS);
        }
        Logger target = configuredLoggers.computeIfAbsent(logger, Logger::getLogger);
        target.setLevel(Level.parse(upper));
        runtime.events().record(EventKind.ADMIN, "log level of '" + logger + "' set to " + upper);
    }

    @Override
    public List<MachineEvent> machineEvents(int max, String instance) throws AdminException {
        if (instance != null && instance.length() > 1_000) {
            throw new AdminException("invalid instance name");
        }
        try {
            return runtime.events().journal().isEmpty() ? List.of() : runtime.events().journal().get().newest(
                    Math.min(Math.max(max, 1), 1_000), java.util.Optional.ofNullable(instance));
        } catch (java.io.IOException e) {
            throw new AdminException("the machine's event journal cannot be read: " + e.getMessage());
        }
    }

    @Override
    public List<LoggerLevel> loggers() {
        return LoggerLevels.list(LoggerLevels.MAX);
    }

    @Override
    public String threadDump() {
        return ThreadDump.of(runtime.name());
    }

    @Override
    public void shutdown() {
        runtime.events().record(EventKind.ADMIN, "graceful shutdown requested");
        runtime.requestShutdown();
    }
}
