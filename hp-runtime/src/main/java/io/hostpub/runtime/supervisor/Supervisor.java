package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceNames;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.Threads;
import io.hostpub.runtime.license.LicenseChannel;
import io.hostpub.runtime.license.LicenseException;
import io.hostpub.runtime.license.LicenseLedger;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.registry.RegistryHost;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.AlreadyBoundException;
import java.rmi.Remote;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
public final class Supervisor implements AutoCloseable {

    /** Unauthenticated connections served at once; more are closed at accept (foreign floods). */
    static final int MAX_PENDING_HANDSHAKES = 64;
    static final int ACCEPT_RETRY_MS = 100;

    private final LinkContext context;
    private final ServerSocket server;
    private final RegistryHost registry;
    private final LicenseLedger ledger;
    private final Map<String, SubordinateSession> sessions = new ConcurrentHashMap<>();
    private final Set<SubordinateSession> allSessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private final AtomicInteger linkCounter = new AtomicInteger();
    private final AtomicLong lastForeignLogNanos = new AtomicLong(System.nanoTime() - 10_000_000_000L);
    private final AtomicInteger suppressedForeign = new AtomicInteger();
    private final LocalChannel localChannel = new LocalChannel();
    /** Guards admission, loss and grants to links, so a deferred grant never lands on a name already dropped. */
    private final Object membership = new Object();
    /** Names whose process hung: their holdings stay counted until the same name returns or the process exits. */
    private final Map<String, Long> reserved = new ConcurrentHashMap<>();
    private final GrantGate gate;
    private final SendDeadline sendDeadline;
    private volatile boolean closed;
    private Thread acceptThread;

    private Supervisor(LinkContext context, ServerSocket server, RegistryHost registry) {
        this.context = context;
        this.server = server;
        this.registry = registry;
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
        RegistryHost registry = null;
        try {
            registry = RegistryHost.create(context.config().bindAddress(), context.secret(),
                    LinkContext.HANDSHAKE_TIMEOUT_MS);
            registry.bind(context.name(), context.adminStub());
            registry.bind(InstanceNames.MAIN, context.adminStub());
        } catch (IOException | AlreadyBoundException e) {
            if (registry != null) {
                registry.close();
            }
            won.close();
            throw new IOException("supervisor start failed: " + e, e);
        }
        Supervisor supervisor = new Supervisor(context, won, registry);
        context.licenses().attach(supervisor.localChannel, held -> supervisor.ledger.announce(context.name(), held));
        supervisor.acceptThread = Threads.start("hostpub-" + context.name() + "-accept", supervisor::acceptLoop);
        return supervisor;
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
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
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

    /** Serves one accepted connection on its own thread, unless too many are still unauthenticated. */
    void serve(Socket socket) {
        if (pendingHandshakes.incrementAndGet() > MAX_PENDING_HANDSHAKES) {
            pendingHandshakes.decrementAndGet();
            closeQuietly(socket);
            foreign(socket + "", "too many unauthenticated connections at once; closed");
            return;
        }
        SubordinateSession session = new SubordinateSession(this, context, socket);
        allSessions.add(session);
        Thread thread = new Thread(session::run, "hostpub-" + context.name() + "-link-" + linkCounter.incrementAndGet());
        thread.setDaemon(true);
        session.thread = thread;
        if (closed) {
            session.close();
        }
        thread.start();
    }

    /** Connections accepted but not yet through the handshake. */
    int pendingHandshakes() {
        return pendingHandshakes.get();
    }

    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(ACCEPT_RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- callbacks from sessions -------------------------------------------------------------------------

    void handshakeFinished() {
        pendingHandshakes.decrementAndGet();
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

    /**
     * Admits an announced subordinate: binds its stub under its name (never overwriting) and records its
     * holdings.
     *
     * @return null if accepted, else why the name is refused and who holds it
     */
    Message.Rejected admit(String name, SubordinateSession session, int holdings, Remote stub) {
        String problem = InstanceNames.problem(name);
        if (problem != null) {
            return new Message.Rejected(problem, -1);
        }
        if (name.equals(context.name())) {
            return new Message.Rejected("instance name '" + name + "' is already registered on this machine (it is the "
                    + "supervisor's, pid " + context.pid() + ")", context.pid());
        }
        synchronized (membership) {
            SubordinateSession previous = sessions.putIfAbsent(name, session);
            if (previous != null) {
                return new Message.Rejected("instance name '" + name + "' is already registered on this machine by pid "
                        + previous.pid(), previous.pid());
            }
            try {
                registry.bind(name, stub);
            } catch (AlreadyBoundException | java.rmi.RemoteException e) {
                sessions.remove(name, session);
                return new Message.Rejected("instance name '" + name + "' is already registered on this machine ("
                        + e.getMessage() + ")", -1);
            }
            // what it announces replaces whatever was kept for the name while it hung
            reserved.remove(name);
            ledger.announce(name, holdings);
            gate.announced(session.pid());
            broadcastRoster();
            return null;
        }
    }

    /**
     * A link died: drop its holdings and unbind its name, at once (seed step 512). A link whose peer was declared
     * hung is unbound too, but its holdings stay counted until its process exits or it announces again.
     */
    void lost(SubordinateSession session, String name, String why) {
        allSessions.remove(session);
        synchronized (membership) {
            if (name == null || !sessions.remove(name, session)) {
                return;
            }
            if (session.hung() && !closed) {
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
            if (!closed) {
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
        synchronized (membership) {
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
        synchronized (membership) {
            if (closed || !reserved.remove(name, pid) || sessions.containsKey(name)) {
                return;
            }
            int dropped = ledger.drop(name);
            context.events().record(EventKind.LICENSE, "hung subordinate " + name + " (pid " + pid + ") exited: "
                    + dropped + " license unit(s) dropped");
        }
    }

    String name() {
        return context.name();
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
        gate.whenOpen(() -> {
            Message answer;
            synchronized (membership) {
                if (closed || sessions.get(name) != session) {
                    return;
                }
                answer = decide(name, acquire);
            }
            // on the thread that releases every deferred decision
            session.sendWithin(answer, sendDeadline);
        });
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

    @Override
    public void close() {
        closed = true;
        gate.close();
        context.licenses().detach(localChannel);
        closeQuietly(server);
        for (SubordinateSession session : allSessions) {
            session.close();
        }
        join(acceptThread);
        for (SubordinateSession session : allSessions) {
            join(session.thread);
        }
        sendDeadline.close();
        registry.close();
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

    /** The supervisor's own license channel: straight into the ledger. */
    private final class LocalChannel implements LicenseChannel {
        @Override
        public CompletableFuture<Void> request(int units) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            gate.whenOpen(() -> {
                if (closed) {
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
