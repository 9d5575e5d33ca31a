package io.hostpub.admin.api;

import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.LoggerLevel;
import io.hostpub.admin.api.model.MachineEvent;
import io.hostpub.admin.api.model.PoolInfo;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.util.List;

/**
 * The remote administration interface of one instance, bound in its machine's registry under the
 * instance name (and under {@code main} for the supervisor). Every argument and result is a DTO of
 * {@code io.hostpub.admin.api.model} or a JDK value, admitted by the {@code AdminSerialFilter}.
 */
public interface AdminServer extends Remote {

    /** Identity, role, uptime, container and license holdings. */
    InstanceSummary summary() throws RemoteException;

    /** Summary plus JVM facts, pools with their connections and recent events. */
    InstanceDetail detail() throws RemoteException;

    /** The machine-wide tally; only the supervisor keeps one. */
    LicenseTally licenseTally() throws RemoteException, AdminException;

    List<PoolInfo> pools() throws RemoteException;

    /** The newest events, newest last, at most {@code max}. */
    List<EventInfo> events(int max) throws RemoteException;

    /** Closes one physical connection of a pool and gives its license unit back; the pool drops it. */
    void deleteConnection(String pool, long connectionId) throws RemoteException, AdminException;

    /**
     * Validates the pool's idle connections now (the driver's own check) and marks the broken ones failed.
     *
     * @return how many of its connections are failed now
     */
    int validatePool(String pool) throws RemoteException, AdminException;

    /** Closes every failed connection of the pool, each giving its license unit back; how many it closed. */
    int deleteFailedConnections(String pool) throws RemoteException, AdminException;

    /** Closes the pool's idle connections now and its borrowed ones when they are returned. */
    void softEvictPool(String pool) throws RemoteException, AdminException;

    /** Sets a {@code java.util.logging} level (SEVERE..FINEST, or OFF/ALL) on a logger ("" = root). */
    void setLogLevel(String logger, String level) throws RemoteException, AdminException;

    /**
     * The newest events of the machine's journal, oldest first, at most {@code max} (1-1000): of every instance that
     * ran on the machine, or of the one named {@code instance} (all its lives); departures included.
     */
    List<MachineEvent> machineEvents(int max, String instance) throws RemoteException, AdminException;

    /** Every {@code java.util.logging} logger the instance's application sees, by name, with its levels. */
    List<LoggerLevel> loggers() throws RemoteException;

    String threadDump() throws RemoteException;

    /** Closes the instance gracefully (and, for a process that exists only for it, exits the JVM). */
    void shutdown() throws RemoteException;
}
