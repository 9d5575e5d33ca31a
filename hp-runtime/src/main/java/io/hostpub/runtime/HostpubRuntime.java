package io.hostpub.runtime;

import io.hostpub.admin.api.filter.AdminSerialFilter;
import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.JvmInfo;
import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.lifecycle.Closing;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.ManagedBeans;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.admin.AdminExport;
import io.hostpub.runtime.admin.AdminService;
import io.hostpub.runtime.admin.AdministeredInstance;
import io.hostpub.runtime.admin.JvmFacts;
import io.hostpub.runtime.config.ConfigException;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.election.RoleLoop;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.jmx.RuntimeView;
import io.hostpub.runtime.jmx.RuntimeViews;
import io.hostpub.runtime.license.Licenses;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.link.RosterMemory;
import io.hostpub.runtime.metrics.RuntimeMetrics;
import io.hostpub.runtime.pool.LicensedPools;
import io.hostpub.runtime.security.AdminCredentials;
import io.hostpub.runtime.succession.Standby;
import io.hostpub.runtime.supervisor.Supervisor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hostpub runtime of one clone JVM (seed 000, FIG. 5): takes a machine-unique name, races for the
 * supervisor port, and then either supervises the machine or serves as a subordinate until its supervisor
 * dies, when it races again ({@link RoleLoop}).
 *
 * <pre>
 *   lifecycle: NEW --start()--> STARTING --first role or start wait over--> RUNNING --close()--> STOPPED
 *   role while RUNNING:  ELECTING --bind won--> SUPERVISOR
 *                          ^   \--bind lost--> SUBORDINATE --link lost--+
 *                          +-------------------------------------------+
 * </pre>
 *
 * IMPORTANT: {@link #close()} is the one way to leave the machine's group; it stops every thread, unexports
 * every RMI object and releases every socket this runtime opened.
 */
public final class HostpubRuntime extends LifeCycle<RuntimeException> implements AdministeredInstance {

    private final RuntimeConfig config;
    private final ContainerFacts container;
    private final boolean guarded;
    private final Runnable shutdownAction;
    private final Clock clock;
    private final Duration startWait;
    private final String name;
    private final long pid = ProcessHandle.current().pid();
    private final Instant startedAt;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final RosterMemory roster = new RosterMemory();
    private volatile Standby standby;
    /** How long the work and probe executors keep their thread once idle: an idle runtime carries neither. */
    static final long IDLE_THREAD_SECONDS = 2;
    private boolean guardHeld;
    private EventLog events;
    private AdminCredentials adminCredentials;
    private Licenses licenses;
    private LicensedPools pools;
    private final RuntimeMetrics metrics = new RuntimeMetrics();
    private final ManagedBeans beans = new ManagedBeans();
    private InstallationSecret secret;
    private AdminExport admin;
    private ExecutorService workPath;
    private ScheduledExecutorService probeScheduler;
    private volatile RoleLoop roles;

    HostpubRuntime(RuntimeBuilder builder) {
        super("runtime " + builder.config.instanceName().or(builder.container::derivedName)
                .orElse("jvm-" + ProcessHandle.current().pid()));
        this.config = builder.config;
        this.container = builder.container;
        this.guarded = builder.guarded;
        this.shutdownAction = builder.shutdownAction;
        this.clock = builder.clock;
        this.startWait = builder.startWait;
        this.startedAt = clock.instant();
        this.name = config.instanceName()
                .or(container::derivedName)
                .orElse("jvm-" + pid);
    }

    public static RuntimeBuilder builder(RuntimeConfig config) {
        return new RuntimeBuilder(config);
    }

    @Override
    protected void doStart() {
        if (guarded) {
            RuntimeGuard.acquire(name);
            guardHeld = true;
        }
        events = new EventLog(name, clock, io.hostpub.runtime.events.MachineJournal.of(config.home()), pid);
        try {
            secret = InstallationSecret.loadOrCreate(config.secretFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the installation secret " + config.secretFile() + ": "
                    + io.hostpub.runtime.config.FileProblems.describe(e), e);
        }
        AdminCredentials.Resolved credentials = AdminCredentials.resolve(config);
        adminCredentials = credentials.credentials();
        StartNotes.record(events, config, credentials);
        AdminSerialFilter.installClientSide();
        workPath = NamedThreads.whileBusy(name + "-work", IDLE_THREAD_SECONDS);
        probeScheduler = NamedThreads.schedulerWhileBusy(name + "-probe", IDLE_THREAD_SECONDS);
        licenses = Licenses.configured(events, config, probeScheduler, metrics);
        pools = new LicensedPools(name, licenses, events, clock, beans);
        config.requireOwnBindAddress();
        admin = AdminExport.open(new AdminService(this), config.bindAddress(), secret,
                LinkContext.HANDSHAKE_TIMEOUT_MS);
        standby = new Standby(name, events);
        beans.register(RuntimeView.class, RuntimeViews.runtime(this::summary, this::supervisorName, this::registryPort),
                "Runtime", "name", name);
        roles = new RoleLoop(name, pid, config, events, this::context, beans);
        roles.start();
        awaitFirstRole();
    }

    private void awaitFirstRole() {
        try {
            roles.firstRole().get(startWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            events.warn(EventKind.ROLE, "no role after " + startWait.toMillis() + " ms; still electing in the background");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    private LinkContext context() {
        return new LinkContext(name, pid, config, secret, events, licenses, admin.stub(), admin.serializedStub(),
                probeScheduler,
                task -> workPath.execute(() -> {
                    // the progress answer passes through the instance's real work: its admin summary
                    summary();
                    task.run();
                }), roster, standby, metrics);
    }

    // --- what the admin service and hosts read ---------------------------------------------------------------

    public String name() {
        return name;
    }

    /** NEW before the race, then the race's outcome (ELECTING, SUPERVISOR, SUBORDINATE), CLOSED once closing. */
    @Override
    public Role role() {
        RoleLoop current = roles;
        return isStopped() ? Role.CLOSED : current == null ? Role.NEW : current.role();
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
        RoleLoop current = roles;
        return current == null ? Optional.empty() : current.supervisorName();
    }

    /** The machine tally, if this runtime is the supervisor. */
    @Override
    public Optional<LicenseTally> licenseTally() {
        return supervisor().map(Supervisor::tally);
    }

    /** The registry port, if this runtime is the supervisor. */
    public Optional<Integer> registryPort() {
        return supervisor().map(Supervisor::registryPort);
    }

    /** The names bound in the registry, if this runtime is the supervisor. */
    public Optional<java.util.List<String>> registryNames() {
        return supervisor().map(Supervisor::registryNames);
    }

    private Optional<Supervisor> supervisor() {
        RoleLoop current = roles;
        return current == null ? Optional.empty() : current.supervisor();
    }

    public InstanceSummary summary() {
        Instant now = clock.instant();
        return new InstanceSummary(name, role(), pid, startedAt,
                Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli()), container.container().orElse(null),
                container.httpPorts(), licenses.holdings());
    }

    /** The applications the container reports; an application that fails to describe itself is left out. */
    public java.util.List<io.hostpub.admin.api.model.ApplicationInfo> applications() {
        return container.listApplications(events);
    }

    /** What this instance counts of its own life (supervisor changes, failovers, licenses, probe round trips). */
    public RuntimeMetrics metrics() {
        return metrics;
    }

    @Override
    public JvmInfo jvmInfo() {
        return JvmFacts.now();
    }

    /** Remote graceful shutdown: close on a fresh thread (the RMI call returns first), then the host's action. */
    @Override
    public void requestShutdown() {
        NamedThreads.start(name + "-shutdown", () -> {
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
        return isStopped();
    }

    @Override
    protected void doStop() {
        RoleLoop current = roles;
        if (events != null) {
            events.record(EventKind.ROLE, (current == null ? Role.NEW : current.role()) + " -> CLOSED: closing");
        }
        closedLatch.countDown();
        // the pools give their units back, then the role ends, then the standby (nothing can take it over any more)
        Closing.inOrder(pools, current, standby, admin, beans, events);
        if (probeScheduler != null) {
            probeScheduler.shutdownNow();
        }
        if (workPath != null) {
            workPath.shutdownNow();
        }
        if (guardHeld) {
            RuntimeGuard.release(name);
        }
    }
}
