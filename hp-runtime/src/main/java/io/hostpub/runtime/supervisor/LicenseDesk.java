package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.license.LicenseChannel;
import io.hostpub.runtime.license.LicenseException;
import io.hostpub.runtime.license.LicenseLedger;
import io.hostpub.runtime.link.LinkContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The machine's license desk on its supervisor (seed: licenses granted machine-wide): decides every request against
 * the {@link LicenseLedger}'s limit, the links' requests on their own threads once the {@link GrantGate} is open (else
 * when it opens, if the link still belongs to the machine), the supervisor's own through {@link #local()}.
 */
final class LicenseDesk {

    private final LinkContext context;
    private final LicenseLedger ledger;
    private final GrantGate gate;
    private final Membership membership;
    private final SendDeadline sendDeadline;
    private final BooleanSupplier stopped;
    private final LicenseChannel local = new LocalChannel();

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
     * Answers a link's license request: at once on the link's own thread (which is the only one that can report it
     * lost) once the grant gate is open, else when it opens, unless the link was lost meanwhile (its units would
     * otherwise be counted for a name nobody holds).
     */
    void requestFromLink(SubordinateSession session, String name, Message.LicenseAcquire acquire) {
        if (gate.state() == GrantGate.State.OPEN) {
            session.trySend(decide(name, acquire));
            return;
        }
        // on the thread that releases every deferred decision
        gate.whenOpen(() -> membership.whileMember(name, session, () -> decide(name, acquire))
                .ifPresent(answer -> session.sendWithin(answer, sendDeadline)));
    }

    private Message decide(String name, Message.LicenseAcquire acquire) {
        return ledger.tryAcquire(name, acquire.units())
                ? new Message.LicenseGranted(acquire.requestId(), acquire.units())
                : new Message.LicenseDenied(acquire.requestId(), denial(acquire.units()));
    }

    void release(String name, int units) {
        ledger.release(name, units);
    }

    String denial(int units) {
        LicenseTally tally = ledger.tally();
        return "machine license limit " + ledger.describeLimit() + " reached: " + tally.inUse() + " in use, "
                + units + " requested";
    }

    /** The supervisor's own license channel: straight into the ledger. */
    private final class LocalChannel implements LicenseChannel {
        @Override
        public CompletableFuture<Void> request(int units) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            gate.whenOpen(() -> {
                if (stopped.getAsBoolean()) {
                    future.completeExceptionally(new LicenseChannel.LinkLostException("supervisor closed"));
                } else if (!ledger.tryAcquire(context.name(), units)) {
                    future.completeExceptionally(new LicenseException(denial(units)));
                } else if (!context.licenses().granted(future, units)) {
                    ledger.release(context.name(), units);
                }
            });
            return future;
        }

        @Override
        public void release(int units) {
            ledger.release(context.name(), units);
        }
    }
}
