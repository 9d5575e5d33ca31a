package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.license.LicenseChannel;
import io.hostpub.runtime.license.LicenseException;
import io.hostpub.runtime.license.LicenseLedger;
import io.hostpub.runtime.link.LinkContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The machine's license desk on its supervisor (seed: licenses granted machine-wide): decides every request against
 * the {@link LicenseLedger}'s limit, the links' requests on their own threads once the {@link GrantGate} is open (else
 * when it opens, if the link still belongs to the machine), the supervisor's own through {@link #local()}.
 *
 * <p>Leases: a link's LICENSE_LEASE is granted its units plus what the ledger allows of the lease. A request the limit
 * refuses while members that lease hold units (some may sit unused in their reserves) waits: each is sent
 * LEASE_RECALL, the request is granted as their LEASE_RETURNs free enough, in arrival order, and refused once every
 * recalled member answered (or left, or {@link #RECALL_WAIT_MS} passed) without enough. So a lease never turns a
 * grant the limit allows into a refusal.
 */
final class LicenseDesk {

    /** How long a request waits for recalled leases; a live member answers within milliseconds. */
    static final long RECALL_WAIT_MS = 1_000;

    private final LinkContext context;
    private final LicenseLedger ledger;
    private final GrantGate gate;
    private final Membership membership;
    private final SendDeadline sendDeadline;
    private final BooleanSupplier stopped;
    private final LicenseChannel local = new LocalChannel();
    private final Object lock = new Object();
    /** Members sent LEASE_RECALL that have not answered, with the deadline of their answer. */
    private final Map<String, Long> recalled = new HashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    private record Waiting(LicenseRequester requester, int units, long deadlineNanos) {
    }

    LicenseDesk(LinkContext context, LicenseLedger ledger, GrantGate gate, Membership membership,
            SendDeadline sendDeadline, BooleanSupplier stopped) {
        this.context = context;
        this.ledger = ledger;
        this.gate = gate;
        this.membership = membership;
        this.sendDeadline = sendDeadline;
        this.stopped = stopped;
    }

    /** The supervisor's own channel, attached to its {@code Licenses} while it supervises. */
    LicenseChannel local() {
        return local;
    }

    /**
     * Answers a link's LICENSE_ACQUIRE ({@code lease} 0) or LICENSE_LEASE: on the link's own thread (which is the only
     * one that can report it lost) once the grant gate is open, else when it opens, unless the link was lost meanwhile
     * (its units would otherwise be counted for a name nobody holds).
     */
    void requestFromLink(SubordinateSession session, String name, long requestId, int units, int lease) {
        LicenseRequester requester = new LicenseRequester.Link(session, name, requestId, sendDeadline);
        if (gate.state() == GrantGate.State.OPEN) {
            submit(requester, units, lease);
            return;
        }
        // on the thread that releases every deferred decision
        gate.whenOpen(() -> membership.whileMember(name, session, () -> submit(requester, units, lease)));
    }

    /** A member gave units back (LICENSE_RELEASE). */
    void release(String name, int units) {
        ledger.release(name, units);
        retryIfWaiting();
    }

    /** A member answered LEASE_RECALL with the units it gave back. */
    void returned(String name, int units) {
        ledger.release(name, units);
        answered(name);
    }

    /** A link ended, before its holdings are dropped: no grant may go to it from now on. */
    void forget(SubordinateSession session) {
        synchronized (lock) {
            waiting.removeIf(w -> w.requester() instanceof LicenseRequester.Link link && link.session() == session);
        }
    }

    /** A member's holdings were dropped (or kept, if it lives on): it answers no recall, its units may be free. */
    void gone(String name) {
        answered(name);
    }

    /** {@code name} will answer no recall (any more): the waiting requests are decided again. */
    private void answered(String name) {
        decideThenSend(after -> {
            recalled.remove(name);
            retry(after);
        });
    }

    /**
     * Runs {@code decision} under the desk's lock, then the sends it queued, outside the lock: a send may wait for a
     * stopped peer up to the send deadline, and must not hold up the other links' requests meanwhile.
     */
    private void decideThenSend(java.util.function.Consumer<List<Runnable>> decision) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            decision.accept(after);
        }
        after.forEach(Runnable::run);
    }

    String denial(int units) {
        LicenseTally tally = ledger.tally();
        return "machine license limit " + ledger.describeLimit() + " reached: " + tally.inUse() + " in use, "
                + units + " requested";
    }

    /** Grants at once if nobody waits and the limit allows, else waits behind a recall of the leases, else refuses. */
    private void submit(LicenseRequester requester, int units, int lease) {
        decideThenSend(after -> {
            if (!requester.present()) {
                return;
            }
            int granted = waiting.isEmpty() ? ledger.tryGrant(requester.name(), units, lease) : 0;
            if (granted > 0) {
                after.add(() -> requester.granted(units, granted));
                return;
            }
            recallLeases(after);
            if (recalled.isEmpty()) {
                after.add(() -> requester.denied(denial(units)));
            } else {
                waiting.add(new Waiting(requester, units, System.nanoTime()
                        + TimeUnit.MILLISECONDS.toNanos(RECALL_WAIT_MS)));
            }
        });
    }

    /**
     * Under the lock: sends LEASE_RECALL (after the lock is let go) to every member that holds units over a link that
     * leases and is not recalled already, and awaits their answers. Not only members granted a lease: a reserve also
     * fills with released units.
     */
    private void recallLeases(List<Runnable> after) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECALL_WAIT_MS);
        boolean sent = false;
        for (var holding : ledger.tally().holdings().entrySet()) {
            String holder = holding.getKey();
            SubordinateSession session = membership.session(holder).orElse(null);
            if (holding.getValue() > 0 && session != null && session.leases() && !recalled.containsKey(holder)) {
                recalled.put(holder, deadline);
                after.add(() -> session.sendWithin(new Message.LeaseRecall(), sendDeadline));
                sent = true;
            }
        }
        if (!sent) {
            return;
        }
        try {
            context.probeScheduler().schedule(this::expire, RECALL_WAIT_MS + 1, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            recalled.clear(); // the runtime is closing: nothing will answer
        }
    }

    private void retryIfWaiting() {
        decideThenSend(after -> {
            if (!waiting.isEmpty()) {
                retry(after);
            }
        });
    }

    /** Under the lock: grants waiting requests in arrival order while units allow; refuses the rest if no recall is out. */
    private void retry(List<Runnable> after) {
        while (!waiting.isEmpty()) {
            Waiting next = waiting.peek();
            if (!next.requester().present()) {
                waiting.poll();
                continue;
            }
            int granted = ledger.tryGrant(next.requester().name(), next.units(), 0);
            if (granted == 0) {
                break;
            }
            waiting.poll();
            after.add(() -> next.requester().granted(next.units(), granted));
        }
        if (recalled.isEmpty()) {
            for (Waiting refused : waiting) {
                after.add(() -> refused.requester().denied(denial(refused.units())));
            }
            waiting.clear();
        }
    }

    /** A recall's deadline passed: members that did not answer (stopped, hung) are given up on. */
    private void expire() {
        decideThenSend(after -> {
            long now = System.nanoTime();
            recalled.values().removeIf(deadline -> deadline - now <= 0);
            retry(after);
        });
    }

    /** The supervisor's own license channel: straight into the ledger, never leased (its grants cost no message). */
    private final class LocalChannel implements LicenseChannel {
        @Override
        public CompletableFuture<Void> request(int units, int lease) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            gate.whenOpen(() -> {
                if (stopped.getAsBoolean()) {
                    future.completeExceptionally(new LicenseChannel.LinkLostException("supervisor closed"));
                } else {
                    submit(new LocalRequester(future), units, 0);
                }
            });
            return future;
        }

        @Override
        public void release(int units) {
            LicenseDesk.this.release(context.name(), units);
        }

        @Override
        public boolean leases() {
            return false;
        }
    }

    /** The supervisor's own request: completes its future, or gives the units back if it was given up. */
    private final class LocalRequester implements LicenseRequester {
        private final CompletableFuture<Void> future;

        LocalRequester(CompletableFuture<Void> future) {
            this.future = future;
        }

        @Override
        public String name() {
            return context.name();
        }

        @Override
        public boolean present() {
            return !stopped.getAsBoolean() && !future.isDone();
        }

        @Override
        public void granted(int units, int granted) {
            if (!context.licenses().granted(future, units, granted - units)) {
                release(context.name(), granted);
            }
        }

        @Override
        public void denied(String reason) {
            future.completeExceptionally(new LicenseException(reason));
        }
    }
}
