package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.license.LicenseLedger;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.registry.RegistryHost;
import java.rmi.AlreadyBoundException;
import java.rmi.Remote;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Who belongs to the machine, as its supervisor keeps it (seed steps 506-512): the registered subordinates (their
 * names bound in the registry, their holdings in the ledger), the hung ones whose units stay counted until their
 * process exits, and the roster every member is sent on each join and leave. Admission, loss and the grants deferred
 * by the {@link GrantGate} happen under one lock, so a deferred grant never lands on a name already dropped.
 */
final class Membership {

    private final LinkContext context;
    private final RegistryHost registry;
    private final LicenseLedger ledger;
    private final GrantGate gate;
    private final SendDeadline sendDeadline;
    private final BooleanSupplier stopped;
    private final Map<String, SubordinateSession> sessions = new ConcurrentHashMap<>();
    /** Names whose process hung: their holdings stay counted until the same name returns or the process exits. */
    private final Map<String, Long> reserved = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    Membership(LinkContext context, RegistryHost registry, LicenseLedger ledger, GrantGate gate,
            SendDeadline sendDeadline, BooleanSupplier stopped) {
        this.context = context;
        this.registry = registry;
        this.ledger = ledger;
        this.gate = gate;
        this.sendDeadline = sendDeadline;
        this.stopped = stopped;
    }

    /** What {@code decision} answers, taken under the membership lock while {@code session} still holds the name. */
    Optional<Message> whileMember(String name, SubordinateSession session, Supplier<Message> decision) {
        synchronized (lock) {
            if (stopped.getAsBoolean() || sessions.get(name) != session) {
                return Optional.empty();
            }
            return Optional.of(decision.get());
        }
    }

    /**
     * Admits an announced subordinate: binds its stub under its name (never overwriting) and records its
     * holdings.
     *
     * @return empty if accepted, else why the name is refused and who holds it
     */
    Optional<Message.Rejected> admit(String name, SubordinateSession session, int holdings, Remote stub) {
        String problem = InstanceNames.problem(name);
        if (problem != null) {
            return Optional.of(new Message.Rejected(problem, -1));
        }
        if (name.equals(context.name())) {
            return Optional.of(new Message.Rejected("instance name '" + name + "' is already registered on this"
                    + " machine (it is the supervisor's, pid " + context.pid() + ")", context.pid()));
        }
        synchronized (lock) {
            SubordinateSession previous = sessions.putIfAbsent(name, session);
            if (previous != null) {
                return Optional.of(new Message.Rejected("instance name '" + name + "' is already registered on this"
                        + " machine by pid " + previous.pid(), previous.pid()));
            }
            try {
                registry.bind(name, stub);
            } catch (AlreadyBoundException | java.rmi.RemoteException e) {
                sessions.remove(name, session);
                return Optional.of(new Message.Rejected("instance name '" + name + "' is already registered on this"
                        + " machine (" + e.getMessage() + ")", -1));
            }
            // what it announces replaces whatever was kept for the name while it hung
            reserved.remove(name);
            ledger.announce(name, holdings);
            gate.announced(session.pid());
            broadcastRoster();
            return Optional.empty();
        }
    }

    /**
     * A link died: drop its holdings and unbind its name, at once (seed step 512). A link whose peer was declared
     * hung is unbound too, but its holdings stay counted until its process exits or it announces again.
     */
    void lost(SubordinateSession session, String name, String why) {
        synchronized (lock) {
            if (name == null || !sessions.remove(name, session)) {
                return;
            }
            if (session.hung() && !stopped.getAsBoolean()) {
                // a hung process still holds what it was granted: keep its units counted, unbind it only
                reserved.put(name, session.pid());
                boolean unbound = registry.unbind(name);
                context.events().record(EventKind.LINK_DOWN, "subordinate " + name + " lost (" + why + "): "
                        + (unbound ? "unbound" : "was not bound") + ", " + ledger.tally().holdings()
                        .getOrDefault(name, 0) + " license unit(s) kept until it returns or its process exits");
                watchExit(name, session.pid());
                return;
            }
            // holdings first: whoever no longer sees the name in the registry also no longer sees its units
            int dropped = ledger.drop(name);
            boolean unbound = registry.unbind(name);
            if (!stopped.getAsBoolean()) {
                context.events().record(EventKind.LINK_DOWN, "subordinate " + name + " lost (" + why + "): "
                        + (unbound ? "unbound" : "was not bound") + ", " + dropped + " license unit(s) dropped");
                broadcastRoster();
            }
        }
    }

    /**
     * A subordinate handed on the roster of its previous supervisor: while this supervisor still holds grants, it
     * also waits for those members (it may be a fresh instance that won the race and knows no roster).
     */
    void learnRoster(long[] pids) {
        synchronized (lock) {
            if (gate.learn(pids)) {
                broadcastRoster();
            }
        }
    }

    /**
     * Sends every subordinate the machine's members: the registered, the hung whose units are kept, and those of
     * the previous roster still to re-announce. Called with the membership lock held, on every join and leave, and
     * before the joiner's ACCEPTED: so every member knows of a subordinate before it can be granted anything.
     */
    private void broadcastRoster() {
        java.util.TreeSet<Long> members = new java.util.TreeSet<>();
        for (SubordinateSession session : sessions.values()) {
            members.add(session.pid());
        }
        members.addAll(reserved.values());
        for (long pid : gate.outstanding()) {
            members.add(pid);
        }
        members.removeIf(pid -> pid <= 0);
        long[] pids = members.stream().mapToLong(Long::longValue).limit(Message.MAX_ROSTER).toArray();
        if (members.size() > Message.MAX_ROSTER) {
            context.events().warn(EventKind.LICENSE, members.size() + " members exceed the roster's "
                    + Message.MAX_ROSTER + "; the roster names the first " + Message.MAX_ROSTER);
        }
        Message.Roster roster = new Message.Roster(pids);
        for (SubordinateSession session : sessions.values()) {
            // a stopped member must not hold the membership lock: see SendDeadline
            session.sendWithin(roster, sendDeadline);
        }
    }

    /** Drops a hung instance's kept units when its process exits (the instances share this machine). */
    private void watchExit(String name, long pid) {
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            releaseReserved(name, pid);
        } else {
            process.get().onExit().thenRun(() -> releaseReserved(name, pid));
        }
    }

    private void releaseReserved(String name, long pid) {
        synchronized (lock) {
            if (stopped.getAsBoolean() || !reserved.remove(name, pid) || sessions.containsKey(name)) {
                return;
            }
            int dropped = ledger.drop(name);
            context.events().record(EventKind.LICENSE, "hung subordinate " + name + " (pid " + pid + ") exited: "
                    + dropped + " license unit(s) dropped");
        }
    }
}
