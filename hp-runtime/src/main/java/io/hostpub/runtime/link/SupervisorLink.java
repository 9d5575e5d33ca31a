package io.hostpub.runtime.link;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.HandshakeException;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.runtime.license.LicenseChannel;
import io.hostpub.runtime.license.LicenseException;
import io.hostpub.runtime.succession.Standby;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subordinate's link to its supervisor (seed steps 513-518): connect, handshake, learn the registry
 * port, announce name, license holdings and its admin stub (which the supervisor binds in the registry),
 * then block reading until the supervisor dies. Also the subordinate's {@link LicenseChannel}.
 */
public final class SupervisorLink extends LifeCycle<IOException> implements LicenseChannel {

    /** The protocol version that added LICENSE_LEASE, LEASE_RECALL and LEASE_RETURN. */
    public static final int LEASE_VERSION = 4;

    private final LinkContext context;
    private LinkSocket link;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile String supervisor = "?";
    private volatile int registryPort;
    private volatile ProgressProbe probe;
    /** The protocol version the supervisor accepted: 4 and later lease units. */
    private volatile int version;

    private record Pending(int units, CompletableFuture<Void> future) {
    }

    private SupervisorLink(LinkContext context) {
        super("link of " + context.name());
        this.context = context;
    }

    /**
     * Connects and authenticates.
     *
     * @throws java.net.ConnectException if nobody listens (the supervisor died after winning)
     * @throws io.hostpub.admin.api.wire.HandshakeException if the listener is not a supervisor of this installation
     */
    public static SupervisorLink connect(LinkContext context) throws IOException {
        SupervisorLink link = new SupervisorLink(context);
        link.start();
        return link;
    }

    @Override
    protected void doStart() throws IOException {
        for (int offered = Handshake.VERSION; ; offered--) {
            try {
                open(offered);
                version = offered;
                return;
            } catch (HandshakeException e) {
                if (e.failure() != HandshakeException.Failure.VERSION_MISMATCH || offered == Handshake.OLDEST_VERSION) {
                    throw e;
                }
                // a supervisor of an earlier release: link with what it knows (no leases before 4, no succession
                // before 3)
            }
        }
    }

    private void open(int version) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(context.config().bindAddress(), context.config().supervisorPort()),
                    AuthenticatedClientSocketFactory.CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        link = new LinkSocket(socket);
        try {
            link.setReadTimeout(LinkContext.HANDSHAKE_TIMEOUT_MS);
            new Handshake(context.secret()).asClient(link.in(), link.out(), version);
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * Learns the registry port and announces name, holdings and admin stub; the supervisor binds the stub.
     *
     * @throws DuplicateNameException if the name is taken on this machine
     */
    public void register() throws IOException {
        // what the previous supervisor said, before this one's rosters replace it
        long[] previousRoster = context.roster().pids();
        // whatever this runtime stood by for belonged to the previous supervisor; this one designates anew
        context.standby().resign();
        link.send(new Message.RegistryQuery());
        Message reply = link.read();
        if (!(reply instanceof Message.RegistryInfo info)) {
            throw new io.hostpub.admin.api.wire.ProtocolException("expected REGISTRY_INFO, got " + reply);
        }
        supervisor = info.supervisorName();
        registryPort = info.port();
        // the supervisor binds the stub carried here in its registry, refusing a taken name
        context.licenses().attach(this, holdings -> link.trySend(
                new Message.Announce(context.name(), context.pid(), holdings, context.serializedStub())));
        Message verdict = link.read();
        while (verdict instanceof Message.Roster roster) {
            // the supervisor tells every member of a join before the joiner's verdict
            context.roster().remember(roster.pids());
            verdict = link.read();
        }
        if (verdict instanceof Message.Rejected rejected) {
            context.licenses().detach(this);
            throw new DuplicateNameException(rejected.reason(), rejected.holderPid());
        }
        if (!(verdict instanceof Message.Accepted)) {
            context.licenses().detach(this);
            throw new io.hostpub.admin.api.wire.ProtocolException("expected ACCEPTED, got " + verdict);
        }
        link.setReadTimeout(0);
        if (previousRoster.length > 0) {
            // a freshly started winner knows no roster: hand on the one this runtime knew
            link.send(new Message.Roster(previousRoster));
        }
        if (context.probing()) {
            probe = new ProgressProbe(context.probeScheduler(), link, context.config().progressProbeMs(),
                    why -> context.events().warn(EventKind.PROBE, "supervisor " + supervisor + " declared dead: " + why),
                    context.metrics());
        }
    }

    public String supervisor() {
        return supervisor;
    }

    public int registryPort() {
        return registryPort;
    }

    /** Blocks reading until the link dies (seed step 517); returns why. */
    public String readLoop() {
        try {
            while (true) {
                Message message = link.read();
                if (message instanceof Message.LicenseGranted granted) {
                    onGranted(granted);
                } else if (message instanceof Message.LicenseDenied denied) {
                    Pending p = pending.remove(denied.requestId());
                    if (p != null) {
                        p.future().completeExceptionally(new LicenseException(denied.reason()));
                    }
                } else if (message instanceof Message.LeaseRecall) {
                    link.trySend(new Message.LeaseReturn(context.licenses().recall()));
                } else if (message instanceof Message.Roster roster) {
                    context.roster().remember(roster.pids());
                } else if (message instanceof Message.Successor) {
                    context.standby().designate(context.config().bindAddress(), context.secret(),
                            LinkContext.HANDSHAKE_TIMEOUT_MS);
                } else if (message instanceof Message.MemberUp up) {
                    context.standby().memberUp(new Standby.Member(up.name(), up.pid(), up.stub()));
                } else if (message instanceof Message.MemberDown down) {
                    context.standby().memberDown(down.name(), down.pid());
                } else if (message instanceof Message.Probe probeRequest) {
                    context.workPath().execute(() -> link.trySend(new Message.ProbeAck(probeRequest.sequence())));
                } else if (message instanceof Message.ProbeAck ack) {
                    ProgressProbe p = probe;
                    if (p != null) {
                        p.answered(ack.sequence());
                    }
                } else if (message instanceof Message.Failure error) {
                    return "supervisor reported an error: " + error.reason();
                } else {
                    return "supervisor sent an unexpected " + message.type();
                }
            }
        } catch (EOFException e) {
            return "end of stream";
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            close();
        }
    }

    private void onGranted(Message.LicenseGranted granted) {
        Pending p = pending.remove(granted.requestId());
        if (p != null && granted.units() < p.units()) {
            p.future().completeExceptionally(new LicenseException("supervisor " + supervisor + " granted "
                    + granted.units() + " of " + p.units() + " unit(s) requested"));
            p = null;
        }
        if (p == null || !context.licenses().granted(p.future(), p.units(), granted.units() - p.units())) {
            // the requester gave up meanwhile: hand the units straight back so the tally stays exact
            link.trySend(new Message.LicenseRelease(granted.units()));
        }
    }

    @Override
    public CompletableFuture<Void> request(int units, int lease) {
        long id = requestIds.incrementAndGet();
        CompletableFuture<Void> future = new CompletableFuture<>();
        pending.put(id, new Pending(units, future));
        Message ask = lease > 0 && leases() ? new Message.LicenseLease(id, units, lease)
                : new Message.LicenseAcquire(id, units);
        if (!link.trySend(ask)) {
            pending.remove(id);
            future.completeExceptionally(new LinkLostException("link to supervisor " + supervisor + " is down"));
        }
        return future;
    }

    @Override
    public void release(int units) {
        link.trySend(new Message.LicenseRelease(units));
    }

    @Override
    public boolean leases() {
        return version >= LEASE_VERSION;
    }

    /** Stops the probe, closes the socket (a blocked {@link #readLoop()} returns), fails pending requests. */
    @Override
    protected void doStop() {
        ProgressProbe p = probe;
        if (p != null) {
            p.close();
        }
        if (link != null) {
            link.close();
        }
        context.licenses().detach(this);
        var lost = new LinkLostException("link to supervisor " + supervisor + " closed");
        pending.values().forEach(p2 -> p2.future().completeExceptionally(lost));
        pending.clear();
    }
}
