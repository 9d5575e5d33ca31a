package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.transport.HandshakeSlots;
import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.license.LicenseLedger;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.registry.RegistryHost;
import io.hostpub.runtime.succession.Standby;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.AlreadyBoundException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The distinguished runtime (seed steps 504-512): owns the won race socket, the machine's RMI registry and
 * the license ledger; accepts links on one thread and serves each on its own.
 *
 * <pre>
 *   accept thread --accept()--> SubordinateSession thread (one per link, blocking read)
 *                                   | EOF / reset / bad frame / probe silence
 *                                   v
 *                    ledger.drop(name), then registry.unbind(name), at once
 * </pre>
 */
public final class Supervisor extends LifeCycle<IOException> {

    /** Unauthenticated connections served at once; more are closed at accept (foreign floods). */
    static final int MAX_PENDING_HANDSHAKES = 64;
    static final int ACCEPT_RETRY_MS = 100;

    private final LinkContext context;
    private final ServerSocket server;
    private final LicenseLedger ledger;
    private final Set<SubordinateSession> allSessions = ConcurrentHashMap.newKeySet();
    private final HandshakeSlots handshakes = new HandshakeSlots(MAX_PENDING_HANDSHAKES);
    private final NamedThreads linkThreads;
    private final AtomicLong lastForeignLogNanos = new AtomicLong(System.nanoTime() - 10_000_000_000L);
    private final AtomicInteger suppressedForeign = new AtomicInteger();
    private final GrantGate gate;
    private final SendDeadline sendDeadline;
    private RegistryHost registry;
    private Membership membership;
    private LicenseDesk desk;
    private Thread acceptThread;

    private Supervisor(LinkContext context, ServerSocket server) {
        super("supervisor " + context.name());
        this.context = context;
        this.server = server;
        this.linkThreads = new NamedThreads(context.name() + "-link");
        this.ledger = new LicenseLedger(context.config().licenseLimit());
        // survivors of a failover re-announce what they hold before anything new is granted
        this.gate = new GrantGate(context.events(), context.probeScheduler(), context.pid(), context.roster().pids(),
                context.config().licenseReclaimMs(), context.config().licenseRosterWaitMs(), Supervisor::isAlive);
        this.sendDeadline = new SendDeadline(context.name(), SendDeadline.DEFAULT_MS);
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Takes over the won race socket: creates the registry, binds this instance under its name and
     * {@code main}, joins the ledger and starts accepting. On failure everything is released.
     */
    public static Supervisor start(LinkContext context, ServerSocket won) throws IOException {
        Supervisor supervisor = new Supervisor(context, won);
        supervisor.start();
        return supervisor;
    }

    @Override
    protected void doStart() throws IOException {
        Optional<Standby.Takeover> standby = context.standby().takeOver();
        try {
            registry = standby.isPresent() ? standby.get().registry() : RegistryHost.create(
                    context.config().bindAddress(), context.secret(), LinkContext.HANDSHAKE_TIMEOUT_MS);
            registry.bind(context.name(), context.adminStub());
            registry.bind(InstanceNames.MAIN, context.adminStub());
        } catch (AlreadyBoundException e) {
            throw new IOException("supervisor start failed: " + e, e);
        } catch (IOException e) {
            throw new IOException("supervisor start failed: " + e, e);
        }
        membership = new Membership(context, registry, ledger, gate, sendDeadline, this::isStopped);
        if (standby.isPresent()) {
            List<String> bound = membership.bindStandby(standby.get().members());
            context.events().record(EventKind.ROLE, "took over the standby registry: bound " + bound.size() + " of "
                    + standby.get().members().size() + " member(s) at once " + bound);
        }
        desk = new LicenseDesk(context, ledger, gate, membership, sendDeadline, this::isStopped);
        context.licenses().attach(desk.local(), held -> ledger.announce(context.name(), held));
        acceptThread = NamedThreads.start(context.name() + "-accept", this::acceptLoop);
    }

    public int registryPort() {
        return registry.port();
    }

    public LicenseTally tally() {
        return ledger.tally();
    }

    /** Names bound in the registry (tests and diagnostics). */
    public List<String> registryNames() {
        return registry.names();
    }

    private void acceptLoop() {
        while (!isStopped()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!isStopped()) {
                    // e.g. out of file descriptors: pause instead of spinning on the failure
                    context.events().warn(EventKind.LINK_DOWN, "accept on supervisor port failed: " + e.getMessage()
                            + "; retrying in " + ACCEPT_RETRY_MS + " ms");
                    pauseAfterAcceptFailure();
                }
                continue;
            }
            serve(socket);
        }
    }

    /**
     * Serves one accepted connection on its own thread. It takes a handshake slot; when every slot is held, the
     * oldest pending connection of the busiest source is closed to make room ({@link HandshakeSlots}).
     */
    void serve(Socket socket) {
        HandshakeSlots.Admission admission = handshakes.admit(socket);
        if (admission.evictedPeer() != null) {
            foreign(admission.evictedPeer(), "still unauthenticated when all " + MAX_PENDING_HANDSHAKES
                    + " handshake slots were taken; closed to make room for a newer connection");
        }
        SubordinateSession session = new SubordinateSession(this, context, socket, linkThreads, admission.slot());
        allSessions.add(session);
        session.start();
        if (isStopped()) {
            session.close(); // closed while this link was accepted: its thread ends at once
        }
    }

    /** Connections accepted but not yet through the handshake. */
    int pendingHandshakes() {
        return handshakes.pending();
    }

    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(ACCEPT_RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- callbacks from sessions -------------------------------------------------------------------------

    Membership membership() {
        return membership;
    }

    LicenseDesk licenses() {
        return desk;
    }

    /** A session ended: its thread is done, its name (if it had one) leaves the membership. */
    void ended(SubordinateSession session, String name, String why) {
        allSessions.remove(session);
        desk.forget(session);
        membership.lost(session, name, why);
        if (name != null && membership.session(name).isEmpty()) {
            desk.gone(name);
        }
    }

    /** Logs a failed handshake, at most once a second (with the count of suppressed ones). */
    void foreign(String peer, String why) {
        long now = System.nanoTime();
        long last = lastForeignLogNanos.get();
        if (now - last >= 1_000_000_000L && lastForeignLogNanos.compareAndSet(last, now)) {
            int suppressed = suppressedForeign.getAndSet(0);
            context.events().warn(EventKind.FOREIGN_PEER, "peer " + peer + " on supervisor port "
                    + context.config().supervisorPort() + " failed the handshake: " + why
                    + (suppressed > 0 ? " (" + suppressed + " more suppressed)" : ""));
        } else {
            suppressedForeign.incrementAndGet();
        }
    }

    String name() {
        return context.name();
    }

    @Override
    protected void doStop() {
        gate.close();
        if (desk != null) {
            context.licenses().detach(desk.local());
        }
        closeQuietly(server);
        for (SubordinateSession session : allSessions) {
            session.close();
        }
        join(acceptThread);
        for (SubordinateSession session : allSessions) {
            join(session.thread);
        }
        sendDeadline.close();
        if (registry != null) {
            registry.close();
        }
    }

    private static void join(Thread thread) {
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
