package io.hostpub.runtime.election;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.wire.HandshakeException;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.ManagedBeans;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.events.EventLog;
import io.hostpub.runtime.jmx.LicenseTallyView;
import io.hostpub.runtime.jmx.RuntimeViews;
import io.hostpub.runtime.link.DuplicateNameException;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.runtime.link.SupervisorLink;
import io.hostpub.runtime.supervisor.Supervisor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A runtime's role on its machine, decided by the race for the supervisor port (seed steps 501-518), on one thread
 * ({@code hostpub-<name>-election}): bind won, supervise until closed; bind lost, link to the winner and block reading
 * until the link dies, then race again after a short random pause (thundering herd). A peer on the port that fails the
 * handshake is foreign: retried with a doubling back-off, each attempt logged.
 *
 * <pre>
 *   NEW --start()--> ELECTING --bind won--> SUPERVISOR
 *                      ^   \--bind lost--> SUBORDINATE --link lost--+
 *                      +--------------------------------------------+
 *   any --close()--> CLOSED (the supervisor, the link and both threads released)
 * </pre>
 */
public final class RoleLoop extends LifeCycle<RuntimeException> {

    static final int FOREIGN_BACKOFF_MIN_MS = 100;
    static final int FOREIGN_BACKOFF_MAX_MS = 5_000;
    /** Retry period while an earlier deployment in this JVM still holds the name. */
    static final int REDEPLOY_RETRY_MS = 50;

    private final ManagedBeans beans;
    private final String name;
    private final long pid;
    private final RuntimeConfig config;
    private final EventLog events;
    private final Supplier<LinkContext> context;
    private final AtomicReference<Role> role = new AtomicReference<>(Role.NEW);
    private final CompletableFuture<Role> firstRole = new CompletableFuture<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread roleThread;
    private volatile Thread rehearsalThread;
    private volatile Supervisor supervisor;
    private volatile SupervisorLink link;
    private volatile String supervisorName;

    /** @param beans where the supervisor's license tally is published ({@code io.hostpub:type=Licenses}) */
    public RoleLoop(String name, long pid, RuntimeConfig config, EventLog events, Supplier<LinkContext> context,
            ManagedBeans beans) {
        super("role of " + name);
        this.beans = beans;
        this.name = name;
        this.pid = pid;
        this.config = config;
        this.events = events;
        this.context = context;
    }

    @Override
    protected void doStart() {
        move(Role.ELECTING, "starting (pid " + pid + ", supervisor port " + config.supervisorPort() + ")");
        roleThread = NamedThreads.start(name + "-election", this::run);
    }

    public Role role() {
        return role.get();
    }

    /** The first role taken (ELECTING when the name is still held by this JVM's previous deployment). */
    public CompletableFuture<Role> firstRole() {
        return firstRole;
    }

    /** The machine's supervisor, if this runtime is it. */
    public Optional<Supervisor> supervisor() {
        return Optional.ofNullable(supervisor);
    }

    /** The name of the current supervisor, if this runtime has one (itself included). */
    public Optional<String> supervisorName() {
        return Optional.ofNullable(supervisorName);
    }

    private void run() {
        int foreignBackoff = FOREIGN_BACKOFF_MIN_MS;
        while (!isStopped()) {
            ServerSocket won = context.get().standby().ready()
                    ? PortRace.tryBindWithin(config, events, RejoinPacing.SUCCESSOR_PERSISTENCE_MS, this::isStopped)
                    : PortRace.tryBind(config, events);
            if (isStopped()) {
                closeQuietly(won);
                return;
            }
            if (won != null) {
                if (supervise(won)) {
                    return;
                }
                continue;
            }
            boolean headStartGiven = false;
            try {
                SupervisorLink current = SupervisorLink.connect(context.get());
                link = current;
                if (isStopped()) {
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
                if (!isStopped() && !context.get().standby().ready()) {
                    // quiet (no logging, no race) while the designated successor takes over: on a loaded machine every
                    // survivor's wake-up would compete with it for the CPU
                    pause(RejoinPacing.headStart(context.get().roster().size()));
                    headStartGiven = true;
                }
                if (!isStopped()) {
                    events.record(EventKind.LINK_DOWN, "lost supervisor " + current.supervisor() + " (" + why
                            + "); electing again");
                    events.departed(current.supervisor(), 0, "supervisor; the link of " + name + " to it ended (" + why
                            + ")");
                    move(Role.ELECTING, "supervisor lost");
                }
            } catch (DuplicateNameException e) {
                if (!nameTaken(e)) {
                    return;
                }
                if (e.holderPid() == pid) {
                    continue;
                }
            } catch (HandshakeException e) {
                foreign(e, foreignBackoff);
                foreignBackoff = Math.min(foreignBackoff * 2, FOREIGN_BACKOFF_MAX_MS);
                continue;
            } catch (ConnectException e) {
                // the winner died before we connected: race again at once
            } catch (IOException e) {
                if (!isStopped()) {
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
            if (!isStopped() && role.get() != Role.ELECTING) {
                move(Role.ELECTING, "supervisor lost");
            }
            pause(RejoinPacing.rejoinPause(context.get().standby().ready(), headStartGiven,
                    context.get().roster().size()));
        }
    }

    /** Takes over the won socket; false when that failed and the race goes on. */
    private boolean supervise(ServerSocket won) {
        try {
            supervisor = Supervisor.start(context.get(), won);
            Supervisor started = supervisor;
            beans.register(LicenseTallyView.class, RuntimeViews.licenses(started::tally), "Licenses", "name", name);
        } catch (IOException e) {
            events.warn(EventKind.ROLE, "could not take over as supervisor: " + e.getMessage());
            pause(FOREIGN_BACKOFF_MIN_MS);
            return false;
        }
        supervisorName = name;
        move(Role.SUPERVISOR, "won the race for port " + config.supervisorPort() + "; registry on port "
                + supervisor.registryPort());
        firstRole.complete(Role.SUPERVISOR);
        if (isStopped()) {
            supervisor.close();
        }
        return true;
    }

    /** The supervisor refused the name; true to go on racing (a redeployment in this JVM), false to give up. */
    private boolean nameTaken(DuplicateNameException e) {
        if (e.holderPid() == pid) {
            // a redeployment in this JVM whose predecessor has not left yet (Jetty starts the new context
            // before stopping the old one): let the deployment go on and take the name once it is free
            if (!firstRole.isDone()) {
                events.record(EventKind.REJECTED, "name held by the previous deployment in this JVM; "
                        + "registering as soon as it leaves");
                firstRole.complete(Role.ELECTING);
            }
            pause(REDEPLOY_RETRY_MS);
            return true;
        }
        events.warn(EventKind.REJECTED, e.getMessage());
        if (!firstRole.isDone()) {
            firstRole.completeExceptionally(new IllegalStateException(e.getMessage(), e));
            return false;
        }
        pause(FOREIGN_BACKOFF_MIN_MS);
        return true;
    }

    private void foreign(HandshakeException e, int backoff) {
        String holder = e.failure() == HandshakeException.Failure.NO_ANSWER
                ? " is held by a program that does not answer the handshake (a hung supervisor, or not hostpub)"
                : " is held by a program that is not a supervisor of this installation";
        events.warn(EventKind.FOREIGN_PEER, "port " + config.supervisorPort() + " on "
                + config.bindAddress().getHostAddress() + holder + " (" + e.failure() + ": " + e.getMessage()
                + "); retrying in " + backoff + " ms");
        pause(backoff);
    }

    /** Once, in the background: rehearse the supervisor role so a takeover does not run it cold. */
    private void warmStandby() {
        if (rehearsalThread == null) {
            rehearsalThread = Rehearsal.inBackground(name, context, this::isStopped);
        }
    }

    private void pause(long millis) {
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
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
            context.get().metrics().roleChanged(previous, next, java.time.Instant.now());
        }
    }

    /** Leaves the machine's group: ends the race, closes the link or the supervisor, joins both threads. */
    @Override
    protected void doStop() {
        role.set(Role.CLOSED);
        stopping.countDown();
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
        firstRole.completeExceptionally(new IllegalStateException("runtime " + name + " closed"));
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
