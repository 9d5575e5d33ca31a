package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.registry.RegistryHost;
import io.hostpub.runtime.succession.Standby;
import java.rmi.AlreadyBoundException;
import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The names a new supervisor bound from its standby before their members re-registered (issue 14): each only while
 * its process is alive, each until the member confirms by announcing itself, and none longer than
 * {@link #CONFIRM_MS}. A member that never confirms (it closed its runtime just before the failover, or its process
 * is stopped) loses its name then; one whose process exits loses it within {@link #SWEEP_MS}. Called with the membership lock held.
 */
final class StandbyBindings {

    /**
     * How long a name bound from the standby waits for its member to re-register: the handshake's own bound, far above
     * the slowest re-registration measured (under a second with 32 members on two cores).
     */
    static final long CONFIRM_MS = LinkContext.HANDSHAKE_TIMEOUT_MS;

    /** How often names still waiting are checked for a process that exited. */
    static final long SWEEP_MS = 100;

    /** What becomes of an announced name that may have been bound from the standby. */
    enum Claim {
        /** Not bound from the standby: admission as usual. */
        NONE,
        /** Bound from the standby for this very process: it confirms, its announced stub replaces the kept one. */
        CONFIRMED,
        /**
         * Bound from the standby for another process: the caller unbinds it and admits the announcer as usual. A
         * process that registers wins over a binding nobody confirmed, as the first to register always wins (the
         * holder may be a killed clone that is not reaped yet, still alive to the kernel).
         */
        REPLACED
    }

    private final Map<String, Long> waiting = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Binds every member whose process is alive (never this supervisor's own name or {@code main}).
     *
     * @return the names bound
     */
    List<String> bindAll(List<Standby.Member> members, RegistryHost registry, LinkContext context,
            LongPredicate alive) {
        List<String> bound = new ArrayList<>();
        for (Standby.Member member : members) {
            if (member.name().equals(context.name()) || member.name().equals(InstanceNames.MAIN)
                    || InstanceNames.problem(member.name()) != null
                    || !alive.test(member.pid())) {
                continue;
            }
            try {
                registry.bind(member.name(), new AnnouncedStub(member.stub(), context.secret()));
                waiting.put(member.name(), member.pid());
                bound.add(member.name());
            } catch (AlreadyBoundException | RemoteException e) {
                // a name sent twice: the first binding stands
            }
        }
        return bound;
    }

    /** Settles an announced name against the standby's bindings: it no longer waits either way. */
    Claim claim(String name, long pid) {
        Long holder = waiting.remove(name);
        if (holder == null) {
            return Claim.NONE;
        }
        return holder == pid ? Claim.CONFIRMED : Claim.REPLACED;
    }

    /** The pid waiting to confirm the name, or -1 (safe without the lock: waiting is a concurrent map). */
    long holder(String name) {
        return waiting.getOrDefault(name, -1L);
    }

    /** Forgets the name if it still waits for {@code pid}; true if it did (the caller unbinds it). */
    boolean expire(String name, long pid) {
        return waiting.remove(name, pid);
    }

    /** Names still waiting, with their pids; safe without the lock (for sweeping, never for deciding). */
    Map<String, Long> waitingNow() {
        return Map.copyOf(waiting);
    }
}
