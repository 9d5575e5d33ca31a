package io.hostpub.runtime.succession;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.registry.RegistryHost;
import java.net.InetAddress;
import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A runtime's warm standby for the supervisor role (issue 14). When its supervisor designates it the successor
 * (SUCCESSOR), it creates the registry it would host and keeps every member the supervisor sends it (MEMBER_UP,
 * MEMBER_DOWN). Should it win the next race, the new supervisor takes both ({@link #takeOver()}) and binds every member
 * whose process is still alive at once; the members then only confirm by re-registering. A runtime that is not the
 * designated successor holds nothing here: no registry, no thread.
 *
 * <p>Thread-safe: fed by the link's reader thread, taken by the role thread.
 */
public final class Standby implements AutoCloseable {

    /** A member as its supervisor last described it: name, pid and the serialized admin stub it announced. */
    public record Member(String name, long pid, byte[] stub) {
    }

    /** What a new supervisor takes over: the ready registry and the members to bind. */
    public record Takeover(RegistryHost registry, List<Member> members) {
    }

    private final String owner;
    private final EventLog events;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private RegistryHost registry;
    private boolean closed;

    public Standby(String owner, EventLog events) {
        this.owner = owner;
        this.events = events;
    }

    /**
     * The supervisor designated this runtime: create the registry it would host (a listening RMI endpoint nobody
     * knows the port of until this runtime announces it as supervisor) and forget earlier members.
     */
    public void designate(InetAddress bindAddress, InstallationSecret secret, int handshakeTimeoutMs) {
        synchronized (this) {
            members.clear();
            if (closed || registry != null) {
                return;
            }
        }
        RegistryHost created;
        try {
            created = RegistryHost.create(bindAddress, secret, handshakeTimeoutMs);
        } catch (RemoteException e) {
            events.warn(EventKind.ROLE, "designated successor, but the standby registry could not be created ("
                    + e.getMessage() + "); a takeover would create it then");
            return;
        }
        synchronized (this) {
            if (!closed && registry == null) {
                registry = created;
                events.record(EventKind.ROLE, "designated successor: standby registry ready on port "
                        + created.port());
                return;
            }
        }
        created.close();
    }

    public synchronized void memberUp(Member member) {
        if (!member.name().equals(owner)) {
            members.put(member.name(), member);
        }
    }

    public synchronized void memberDown(String name, long pid) {
        Member known = members.get(name);
        if (known != null && known.pid() == pid) {
            members.remove(name);
        }
    }

    /** True while this runtime stands by with a registry: it races at once when its supervisor is lost. */
    public synchronized boolean ready() {
        return registry != null;
    }

    /** This runtime joined another supervisor: it is nobody's successor until designated again. */
    public void resign() {
        RegistryHost released;
        synchronized (this) {
            members.clear();
            released = registry;
            registry = null;
        }
        if (released != null) {
            released.close();
        }
    }

    /**
     * Hands the registry and the members over to the supervisor this runtime is becoming (who closes the registry);
     * empty when it was not standing by.
     */
    public synchronized Optional<Takeover> takeOver() {
        if (registry == null) {
            return Optional.empty();
        }
        Takeover takeover = new Takeover(registry, new ArrayList<>(members.values()));
        registry = null;
        members.clear();
        return Optional.of(takeover);
    }

    /** The members kept (tests and diagnostics). */
    public synchronized List<String> memberNames() {
        return new ArrayList<>(members.keySet());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        resign();
    }
}
