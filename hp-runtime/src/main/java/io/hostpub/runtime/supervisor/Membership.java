package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.license.LicenseLedger;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.registry.RegistryHost;
import io.hostpub.runtime.succession.Standby;
import java.rmi.AlreadyBoundException;
import java.rmi.Remote;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Who belongs to the machine, as its supervisor keeps it (seed steps 506-512): the registered subordinates (their
 * names bound in the registry, their holdings in the ledger), the hung ones whose units stay counted until their
 * process exits, the names bound from the standby until their members confirm, the designated successor, and the
 * roster. Admission, loss and the grants deferred by the {@link GrantGate} happen under one lock, so a deferred grant
 * never lands on a name already dropped.
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
    private final StandbyBindings standbyBindings = new StandbyBindings();
    private final SuccessorFeed successorFeed;
    /** The last roster every member was sent: a join that leaves it unchanged is told to the joiner alone. */
    private long[] lastRoster;
    /** When the names of the standby were bound (for the line that says all of them re-registered). */
    private long standbyBoundNanos;
    private final Object lock = new Object();

    Membership(LinkContext context, RegistryHost registry, LicenseLedger ledger, GrantGate gate,
            SendDeadline sendDeadline, BooleanSupplier stopped) {
        this.context = context;
        this.registry = registry;
        this.ledger = ledger;
        this.gate = gate;
        this.sendDeadline = sendDeadline;
        this.stopped = stopped;
        this.successorFeed = new SuccessorFeed(context, sendDeadline);
    }

    /**
     * Binds the members this supervisor stood by for whose processes are alive, before any of them re-registered; each
     * loses its name when its process exits or when it has not confirmed within {@link StandbyBindings#CONFIRM_MS}.
     *
     * @return the names bound
     */
    List<String> bindStandby(List<Standby.Member> members) {
        List<String> bound;
        synchronized (lock) {
            bound = standbyBindings.bindAll(members, registry, context, Membership::isAlive);
            standbyBoundNanos = System.nanoTime();
        }
        if (!bound.isEmpty()) {
            sweepStandby(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(StandbyBindings.CONFIRM_MS));
        }
        return bound;
    }

    /**
     * Every {@link StandbyBindings#SWEEP_MS} while names bound from the standby wait: a member whose process exited
     * loses its name, and every one still waiting at the deadline too. (Not {@code ProcessHandle.onExit()}: for a
     * process that is not its child the JDK polls with one thread per process, for as long as it lives.)
     */
    private void sweepStandby(long deadlineNanos) {
        boolean late = System.nanoTime() - deadlineNanos >= 0;
        for (var waiting : standbyBindings.waitingNow().entrySet()) {
            if (late) {
                expireStandby(waiting.getKey(), waiting.getValue(), "it did not re-register within "
                        + StandbyBindings.CONFIRM_MS + " ms");
            } else if (!isAlive(waiting.getValue())) {
                expireStandby(waiting.getKey(), waiting.getValue(), "its process exited");
            }
        }
        if (!late && !stopped.getAsBoolean() && !standbyBindings.waitingNow().isEmpty()) {
            context.probeScheduler().schedule(() -> sweepStandby(deadlineNanos), StandbyBindings.SWEEP_MS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void expireStandby(String name, long pid, String why) {
        synchronized (lock) {
            if (stopped.getAsBoolean() || !standbyBindings.expire(name, pid)) {
                return;
            }
            boolean unbound = registry.unbind(name);
            context.events().record(EventKind.LINK_DOWN, "member " + name + " (pid " + pid + ") bound from the "
                    + "standby " + (unbound ? "unbound" : "was not bound") + ": " + why);
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Runs {@code decision} under the membership lock while {@code session} still holds the name. */
    void whileMember(String name, SubordinateSession session, Runnable decision) {
        synchronized (lock) {
            if (!stopped.getAsBoolean() && sessions.get(name) == session) {
                decision.run();
            }
        }
    }

    /** The live link of a registered member, if it has one. */
    Optional<SubordinateSession> session(String name) {
        return Optional.ofNullable(sessions.get(name));
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
            long standbyPid = standbyBindings.holder(name);
            StandbyBindings.Claim claim = standbyBindings.claim(name, session.pid());
            try {
                if (claim == StandbyBindings.Claim.CONFIRMED) {
                    registry.rebind(name, stub);
                } else {
                    if (claim == StandbyBindings.Claim.REPLACED) {
                        registry.unbind(name);
                        context.events().record(EventKind.LINK_UP, "name " + name + " bound from the standby for pid "
                                + standbyPid + " goes to pid " + session.pid() + ", which registered it first");
                    }
                    registry.bind(name, stub);
                }
                if (claim != StandbyBindings.Claim.NONE && standbyBindings.waitingNow().isEmpty()) {
                    context.events().record(EventKind.ROLE, "every member bound from the standby re-registered, the"
                            + " last " + (System.nanoTime() - standbyBoundNanos) / 1_000_000 + " ms after the takeover");
                }
            } catch (AlreadyBoundException | java.rmi.RemoteException e) {
                sessions.remove(name, session);
                return Optional.of(new Message.Rejected("instance name '" + name + "' is already registered on this"
                        + " machine (" + e.getMessage() + ")", -1));
            }
            // what it announces replaces whatever was kept for the name while it hung
            reserved.remove(name);
            ledger.announce(name, holdings);
            gate.announced(session.pid());
            successorFeed.joined(session, name);
            sendRoster(session);
            return Optional.empty();
        }
    }

    /** A member was told ACCEPTED: it may now be designated the successor. */
    void accepted(SubordinateSession session) {
        synchronized (lock) {
            if (!stopped.getAsBoolean() && session.name() != null && sessions.get(session.name()) == session) {
                successorFeed.accepted(session, sessions);
            }
        }
    }

    /**
     * A link died: drop its holdings and unbind its name, at once (seed step 512). A link whose peer was declared
     * hung, or whose process still lives and holds units, is unbound too, but its holdings stay counted until its
     * process exits or it announces again (a killed process its parent has not reaped yet counts as alive: its units
     * return when it is gone).
     */
    void lost(SubordinateSession session, String name, String why) {
        synchronized (lock) {
            if (name == null || !sessions.remove(name, session)) {
                return;
            }
            int held = ledger.tally().holdings().getOrDefault(name, 0);
            if (!stopped.getAsBoolean() && (session.hung() || (held > 0 && isAlive(session.pid())))) {
                // a hung process still holds what it was granted, and so does a live one whose link ended (its own
                // probe misjudged a pause of this supervisor, say) until it re-registers: keep its units counted
                // (else they could be granted twice meanwhile), unbind it only
                reserved.put(name, session.pid());
                boolean unbound = registry.unbind(name);
                successorFeed.left(session, name, sessions);
                context.events().record(EventKind.LINK_DOWN, "subordinate " + name + " lost (" + why + "): "
                        + (unbound ? "unbound" : "was not bound") + ", " + held + " license unit(s) kept until it"
                        + " returns or its process exits");
                context.events().departed(name, session.pid(), "its link to supervisor " + context.name() + " ended ("
                        + why + "); its process still lives");
                watchExit(name, session.pid());
                return;
            }
            // holdings first: whoever no longer sees the name in the registry also no longer sees its units
            int dropped = ledger.drop(name);
            boolean unbound = registry.unbind(name);
            if (!stopped.getAsBoolean()) {
                context.events().record(EventKind.LINK_DOWN, "subordinate " + name + " lost (" + why + "): "
                        + (unbound ? "unbound" : "was not bound") + ", " + dropped + " license unit(s) dropped");
                context.events().departed(name, session.pid(), "its link to supervisor " + context.name() + " ended ("
                        + why + ")");
                successorFeed.left(session, name, sessions);
                sendRoster(null);
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
                sendRoster(null);
            }
        }
    }

    /**
     * Sends the machine's members: the registered, the hung whose units are kept, and those of the previous roster
     * still to re-announce. Called with the membership lock held, on every join and leave, and before the joiner's
     * ACCEPTED: so every member knows of a subordinate before it can be granted anything. When the members did not
     * change (a survivor re-registering after a failover was already on the roster as one to wait for), only the
     * joiner is sent it: every other member has it already, and a failover costs N frames instead of N squared.
     */
    private void sendRoster(SubordinateSession joiner) {
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
        if (joiner != null && java.util.Arrays.equals(pids, lastRoster)) {
            joiner.sendWithin(roster, sendDeadline);
            return;
        }
        lastRoster = pids;
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
