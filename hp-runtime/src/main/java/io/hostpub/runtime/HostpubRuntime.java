package io.hostpub.runtime;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.filter.AdminSerialFilter;
import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.JvmInfo;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.transport.AuthenticatedClientSocketFactory;
import io.hostpub.admin.api.transport.AuthenticatedServerSocketFactory;
import io.hostpub.admin.api.wire.HandshakeException;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.admin.AdminService;
import io.hostpub.runtime.config.ConfigException;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.license.Licenses;
import io.hostpub.runtime.link.DuplicateNameException;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.link.RosterMemory;
import io.hostpub.runtime.link.SupervisorLink;
import io.hostpub.runtime.pool.LicensedPools;
import io.hostpub.runtime.security.AdminCredentials;
import io.hostpub.runtime.supervisor.Supervisor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.server.UnicastRemoteObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hostpub runtime of one clone JVM (seed 000, FIG. 5): takes a machine-unique name, races for the
 * supervisor port, and then either supervises the machine or serves as a subordinate until its supervisor
 * dies, when it races again.
 *
 * <pre>
 *   NEW --start()--> ELECTING --bind won--> SUPERVISOR ------------------+
 *                      ^   \--bind lost--> SUBORDINATE --link lost--+    |
 *                      +----------------------------------------------+  |
 *   any --close()--> CLOSED  <--------------------------------------------+
 * </pre>
 *
 * IMPORTANT: {@link #close()} is the one way to leave the machine's group; it stops every thread, unexports
 * every RMI object and releases every socket this runtime opened.
 */
public final class HostpubRuntime implements AutoCloseable {

    /** Upper bound of the random pause before re-racing after the supervisor died (thundering herd). */
    static final int REJOIN_JITTER_MS = 5;
    static final int FOREIGN_BACKOFF_MIN_MS = 100;
    /** Retry period while an earlier deployment in this JVM still holds the name. */
    static final int REDEPLOY_RETRY_MS = 50;
    static final int FOREIGN_BACKOFF_MAX_MS = 5_000;

    private final RuntimeConfig config;
    private final ContainerFacts container;
    private final boolean guarded;
    private final Runnable shutdownAction;
    private final Clock clock;
    private final String name;
    private final long pid = ProcessHandle.current().pid();
    private final Instant startedAt;
    private final AtomicReference<Role> role = new AtomicReference<>(Role.NEW);
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final CompletableFuture<Role> firstRole = new CompletableFuture<>();
    private final RosterMemory roster = new RosterMemory();

    private EventLog events;
    private AdminCredentials adminCredentials;
    private Licenses licenses;
    private LicensedPools pools;
    private InstallationSecret secret;
    private AdminService adminService;
    private AuthenticatedServerSocketFactory adminListener;
    private AdminServer adminStub;
    private byte[] serializedStub;
    private ExecutorService workPath;
    private ScheduledExecutorService probeScheduler;
    private Thread roleThread;
    private volatile Thread rehearsalThread;
    private volatile Supervisor supervisor;
    private volatile SupervisorLink link;
    private volatile String supervisorName;

    private HostpubRuntime(Builder builder) {
        this.config = builder.config;
        this.container = builder.container;
        this.guarded = builder.guarded;
        this.shutdownAction = builder.shutdownAction;
        this.clock = builder.clock;
        this.startedAt = clock.instant();
        this.name = config.instanceName()
                .or(container::derivedName)
                .orElse("jvm-" + pid);
    }

    public static Builder builder(RuntimeConfig config) {
        return new Builder(config);
    }

    /** Builds and starts runtimes. */
    public static final class Builder {
        private final RuntimeConfig config;
        private ContainerFacts container = ContainerFacts.bareJvm();
        private boolean guarded = true;
        private Runnable shutdownAction;
        private Clock clock = Clock.systemUTC();
        private Duration startWait = Duration.ofSeconds(15);

        private Builder(RuntimeConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder container(ContainerFacts facts) {
            this.container = Objects.requireNonNull(facts);
            return this;
        }

        /** For tests hosting several runtimes in one JVM: skip the one-runtime-per-JVM guard. */
        public Builder unguarded() {
            this.guarded = false;
            return this;
        }

        /** What a remote "graceful shutdown" does after the runtime closed (default: nothing more). */
        public Builder onShutdown(Runnable action) {
            this.shutdownAction = action;
            return this;
        }

        /** How long {@link #start()} waits for the first role before returning while still electing. */
        public Builder startWait(Duration wait) {
            this.startWait = wait;
            return this;
        }

        /**
         * Starts the runtime and waits until it has a role (or until the start wait passes, e.g. while a
         * foreign program holds the supervisor port; it keeps retrying in the background).
         *
         * @throws IllegalStateException if the name is already taken on this machine, or a runtime is already
         *         running in this JVM
         * @throws ConfigException if the secret file is unusable
         */
        public HostpubRuntime start() {
            HostpubRuntime runtime = new HostpubRuntime(this);
            runtime.startUp(startWait);
            return runtime;
        }
    }

    private void startUp(Duration startWait) {
        if (guarded) {
            RuntimeGuard.acquire(name);
        }
        try {
            events = new EventLog(name, clock);
            try {
                secret = InstallationSecret.loadOrCreate(config.secretFile());
            } catch (IOException e) {
                throw new ConfigException("invalid configuration key 'secretFile': " + e.getMessage(), e);
            }
            AdminCredentials.Resolved credentials = AdminCredentials.resolve(config);
            adminCredentials = credentials.credentials();
            credentials.generatedPassword().ifPresent(password -> events.record(EventKind.ADMIN,
                    "generated the /hpadmin password of user '" + adminCredentials.user() + "': " + password
                    + " (shown once; stored hashed in " + AdminCredentials.generatedFile(config) + ")"));
            advertiseBindAddress(config.bindAddress());
            AdminSerialFilter.installClientSide();
            licenses = new Licenses(events, config.licenseWaitMs());
            pools = new LicensedPools(name, licenses, events, clock);
            workPath = Executors.newSingleThreadExecutor(new Threads(name, "work"));
            probeScheduler = Executors.newSingleThreadScheduledExecutor(new Threads(name, "probe"));
            adminService = new AdminService(this);
            adminListener = new AuthenticatedServerSocketFactory(config.bindAddress(), secret,
                    LinkContext.HANDSHAKE_TIMEOUT_MS, port -> { });
            adminStub = (AdminServer) UnicastRemoteObject.exportObject(adminService, 0,
                    new AuthenticatedClientSocketFactory(secret), adminListener, new AdminSerialFilter());
            serializedStub = io.hostpub.admin.api.transport.StubCodec.write(adminStub);
            move(Role.ELECTING, "starting (pid " + pid + ", supervisor port " + config.supervisorPort() + ")");
            roleThread = Threads.start("hostpub-" + name + "-election", this::roleLoop);
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot export the admin object of " + name + ": " + e, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        try {
            firstRole.get(startWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            events.warn(EventKind.ROLE, "no role after " + startWait.toMillis() + " ms; still electing in the background");
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /**
     * Stubs carry the host clients connect to; RMI takes it from {@code java.rmi.server.hostname}. The listeners
     * bind the configured address only, so that is the address stubs must name (unless the operator set the
     * property, e.g. for a wildcard bind).
     */
    private static void advertiseBindAddress(InetAddress bindAddress) {
        if (System.getProperty("java.rmi.server.hostname") == null && !bindAddress.isAnyLocalAddress()) {
            System.setProperty("java.rmi.server.hostname", bindAddress.getHostAddress());
        }
    }

    private void roleLoop() {
        int foreignBackoff = FOREIGN_BACKOFF_MIN_MS;
        while (!isClosed()) {
            ServerSocket won = tryBind();
            if (isClosed()) {
                closeQuietly(won);
                return;
            }
            if (won != null) {
                try {
                    supervisor = Supervisor.start(context(), won);
                    supervisorName = name;
                    move(Role.SUPERVISOR, "won the race for port " + config.supervisorPort() + "; registry on port "
                            + supervisor.registryPort());
                    firstRole.complete(Role.SUPERVISOR);
                    if (isClosed()) {
                        supervisor.close();
                    }
                    return;
                } catch (IOException e) {
                    events.warn(EventKind.ROLE, "could not take over as supervisor: " + e.getMessage());
                    pause(FOREIGN_BACKOFF_MIN_MS);
                    continue;
                }
            }
            try {
                SupervisorLink current = SupervisorLink.connect(context());
                link = current;
                if (isClosed()) {
                    current.close();
                    return;
                }
                current.register();
                supervisorName = current.supervisor();
                move(Role.SUBORDINATE, "registered with supervisor " + current.supervisor() + " (registry port "
                        + current.registryPort() + ")");
                firstRole.complete(Role.SUBORDINATE);
                foreignBackoff = FOREIGN_BACKOFF_MIN_MS;
                warmStandby();
                String why = current.readLoop();
                if (!isClosed()) {
                    events.record(EventKind.LINK_DOWN, "lost supervisor " + current.supervisor() + " (" + why
                            + "); electing again");
                    move(Role.ELECTING, "supervisor lost");
                }
            } catch (DuplicateNameException e) {
                if (e.holderPid() == pid) {
                    // a redeployment in this JVM whose predecessor has not left yet (Jetty starts the new context
                    // before stopping the old one): let the deployment go on and take the name once it is free
                    if (!firstRole.isDone()) {
                        events.record(EventKind.REJECTED, "name held by the previous deployment in this JVM; "
                                + "registering as soon as it leaves");
                        firstRole.complete(Role.ELECTING);
                    }
                    pause(REDEPLOY_RETRY_MS);
                    continue;
                }
                events.warn(EventKind.REJECTED, e.getMessage());
                if (!firstRole.isDone()) {
                    firstRole.completeExceptionally(new IllegalStateException(e.getMessage(), e));
                    return;
                }
                pause(FOREIGN_BACKOFF_MIN_MS);
            } catch (HandshakeException e) {
                String holder = e.failure() == HandshakeException.Failure.NO_ANSWER
                        ? " is held by a program that does not answer the handshake (a hung supervisor, or not hostpub)"
                        : " is held by a program that is not a supervisor of this installation";
                events.warn(EventKind.FOREIGN_PEER, "port " + config.supervisorPort() + " on "
                        + config.bindAddress().getHostAddress() + holder + " (" + e.failure() + ": " + e.getMessage()
                        + "); retrying in " + foreignBackoff + " ms");
                pause(foreignBackoff);
                foreignBackoff = Math.min(foreignBackoff * 2, FOREIGN_BACKOFF_MAX_MS);
                continue;
            } catch (ConnectException e) {
                // the winner died before we connected: race again at once
            } catch (IOException e) {
                if (!isClosed()) {
                    events.warn(EventKind.LINK_DOWN, "link to supervisor failed: " + e.getMessage());
                }
            } finally {
                SupervisorLink current = link;
                link = null;
                if (current != null) {
                    current.close();
                }
                supervisorName = null;
            }
            if (!isClosed() && role.get() != Role.ELECTING) {
                move(Role.ELECTING, "supervisor lost");
            }
            pause(ThreadLocalRandom.current().nextInt(REJOIN_JITTER_MS + 1));
        }
    }

    /** Once, in the background: rehearse the supervisor role so a takeover does not run it cold. */
    private void warmStandby() {
        if (rehearsalThread != null) {
            return;
        }
        rehearsalThread = Threads.start("hostpub-" + name + "-rehearsal", () -> {
            try {
                Rehearsal.run(context());
            } catch (Exception e) {
                if (!isClosed()) {
                    System.getLogger("io.hostpub.runtime").log(System.Logger.Level.DEBUG,
                            "hostpub[" + name + "] warm-standby rehearsal skipped: " + e);
                }
            }
        });
    }

    /** Seed step 502: an exclusive bind. SO_REUSEADDR on (Linux still refuses a second listener), never SO_REUSEPORT. */
    private ServerSocket tryBind() {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.bindAddress(), config.supervisorPort()), 128);
            return socket;
        } catch (BindException lost) {
            closeQuietly(socket);
            return null;
        } catch (IOException e) {
            closeQuietly(socket);
            events.warn(EventKind.ROLE, "cannot bind " + config.bindAddress().getHostAddress() + ":"
                    + config.supervisorPort() + ": " + e.getMessage());
            return null;
        }
    }

    private LinkContext context() {
        return new LinkContext(name, pid, config, secret, events, licenses, adminStub, serializedStub, probeScheduler,
                task -> workPath.execute(() -> {
                    // the progress answer passes through the instance's real work: its admin summary
                    summary();
                    task.run();
                }), roster);
    }

    private void pause(long millis) {
        try {
            closedLatch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void move(Role next, String why) {
        Role previous;
        do {
            previous = role.get();
            if (previous == Role.CLOSED) {
                return;
            }
            if (!previous.canMoveTo(next)) {
                throw new IllegalStateException("illegal role change " + previous + " -> " + next);
            }
        } while (!role.compareAndSet(previous, next));
        if (previous != next) {
            events.record(EventKind.ROLE, previous + " -> " + next + ": " + why);
        }
    }

    // --- what the admin service and hosts read ---------------------------------------------------------------

    public String name() {
        return name;
    }

    public Role role() {
        return role.get();
    }

    public long pid() {
        return pid;
    }

    public RuntimeConfig config() {
        return config;
    }

    public EventLog events() {
        return events;
    }

    public ContainerFacts container() {
        return container;
    }

    /** Who may administer through {@code /hpadmin}. */
    public AdminCredentials adminCredentials() {
        return adminCredentials;
    }

    /** The installation secret: authenticates admin clients and keys what the admin web layer signs. */
    public InstallationSecret secret() {
        return secret;
    }

    public Licenses licenses() {
        return licenses;
    }

    public LicensedPools pools() {
        return pools;
    }

    /** The name of the current supervisor, if this runtime has one (itself included). */
    public Optional<String> supervisorName() {
        return Optional.ofNullable(supervisorName);
    }

    /** The machine tally, if this runtime is the supervisor. */
    public Optional<LicenseTally> licenseTally() {
        Supervisor current = supervisor;
        return current == null ? Optional.empty() : Optional.of(current.tally());
    }

    /** The registry port, if this runtime is the supervisor. */
    public Optional<Integer> registryPort() {
        Supervisor current = supervisor;
        return current == null ? Optional.empty() : Optional.of(current.registryPort());
    }

    /** The names bound in the registry, if this runtime is the supervisor. */
    public Optional<java.util.List<String>> registryNames() {
        Supervisor current = supervisor;
        return current == null ? Optional.empty() : Optional.of(current.registryNames());
    }

    public InstanceSummary summary() {
        Instant now = clock.instant();
        return new InstanceSummary(name, role.get(), pid, startedAt,
                Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli()), container.container().orElse(null),
                container.httpPorts(), licenses.holdings());
    }

    /** The applications the container reports; an application that fails to describe itself is left out. */
    public java.util.List<io.hostpub.admin.api.model.ApplicationInfo> applications() {
        try {
            return java.util.List.copyOf(container.applications().get());
        } catch (RuntimeException e) {
            events.warn(EventKind.ADMIN, "could not list the deployed applications: " + e);
            return java.util.List.of();
        }
    }

    public JvmInfo jvmInfo() {
        Runtime jvm = Runtime.getRuntime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new JvmInfo(System.getProperty("java.version"), System.getProperty("java.vendor", "unknown"), host,
                jvm.availableProcessors(), heap.getUsed(), Math.max(heap.getMax(), 0),
                ManagementFactory.getThreadMXBean().getThreadCount(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /** Remote graceful shutdown: close on a fresh thread (the RMI call returns first), then the host's action. */
    public void requestShutdown() {
        Threads.start("hostpub-" + name + "-shutdown", () -> {
            close();
            if (shutdownAction != null) {
                shutdownAction.run();
            }
        });
    }

    /** Waits until the runtime has closed (e.g. after a remote shutdown). */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return role.get() == Role.CLOSED;
    }

    @Override
    public void close() {
        Role previous = role.getAndSet(Role.CLOSED);
        if (previous == Role.CLOSED) {
            return;
        }
        if (events != null) {
            events.record(EventKind.ROLE, previous + " -> CLOSED: closing");
        }
        closedLatch.countDown();
        if (pools != null) {
            pools.close();
        }
        SupervisorLink currentLink = link;
        if (currentLink != null) {
            currentLink.close();
        }
        for (Thread thread : new Thread[] {roleThread, rehearsalThread}) {
            if (thread != null && thread != Thread.currentThread()) {
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Supervisor currentSupervisor = supervisor;
        supervisor = null;
        if (currentSupervisor != null) {
            currentSupervisor.close();
        }
        if (adminService != null) {
            try {
                UnicastRemoteObject.unexportObject(adminService, true);
            } catch (NoSuchObjectException notExported) {
                // export failed or already closed
            }
        }
        if (adminListener != null) {
            adminListener.close();
        }
        if (probeScheduler != null) {
            probeScheduler.shutdownNow();
        }
        if (workPath != null) {
            workPath.shutdownNow();
        }
        firstRole.completeExceptionally(new IllegalStateException("runtime " + name + " closed"));
        if (guarded) {
            RuntimeGuard.release(name);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
