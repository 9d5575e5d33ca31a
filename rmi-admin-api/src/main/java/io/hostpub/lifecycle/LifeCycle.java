package io.hostpub.lifecycle;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lifecycle of every long-lived part (runtime, supervisor, links and sessions, agent, coordinator, watches,
 * stores, servers), in the spirit of Jetty's {@code AbstractLifeCycle} and Guava's {@code Service}: subclasses
 * implement {@link #doStart()} and {@link #doStop()}; {@link #start()} and {@link #close()} are final and check every
 * transition.
 *
 * <pre>
 *   NEW --start()--> STARTING --doStart() returned--> RUNNING --close()--> STOPPING --doStop() returned--> STOPPED
 *                       \--doStart() threw (doStop() releases what it opened)--> FAILED
 *   NEW --close()--> STOPPED (nothing was opened)
 * </pre>
 *
 * IMPORTANT: {@link #close()} is the one release. It is idempotent, never throws, may be called from any thread (one
 * of the part's own threads included) and returns once the part has released everything; {@code doStop()} runs at
 * most once (after a failed start it has already run). A part that is started twice fails with "cannot be started
 * more than once". A {@code close()} from another thread while the part is STARTING waits until {@code doStart()}
 * returned, so {@code doStart()} must not wait for a thread that may call {@code close()}; a {@code close()} from
 * inside {@code doStart()} (the same thread) stops the part at once, and {@code start()} then returns with the part
 * STOPPED. Parts with a role (a runtime's SUPERVISOR or SUBORDINATE, a coordinator's PASSIVE or ACTIVE) keep it as a
 * sub-state of RUNNING.
 *
 * @param <E> the checked exception {@link #doStart()} may throw ({@link RuntimeException} when none)
 */
public abstract class LifeCycle<E extends Exception> implements AutoCloseable {

    /** The states of a part; a part moves only forward in this order (FAILED only from STARTING). */
    public enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED }

    private static final System.Logger LOG = System.getLogger(LifeCycle.class.getName());

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final ReentrantLock starting = new ReentrantLock();
    private final String component;

    /** @param component what the part is, for messages: {@code supervisor jetty-8081}, {@code agent n1} */
    protected LifeCycle(String component) {
        this.component = component;
    }

    /** Opens what the part needs; on failure, {@link #doStop()} runs and the part is FAILED. */
    protected abstract void doStart() throws E;

    /**
     * Releases everything the part opened: threads stopped, sockets, registries and files closed. Runs once, also
     * after a {@code doStart()} that failed half-way, so it must cope with what was not opened.
     */
    protected abstract void doStop();

    /**
     * NEW -> STARTING -> RUNNING.
     *
     * @throws IllegalStateException if the part was started (or closed) before
     */
    public final void start() throws E {
        starting.lock();
        try {
            if (!state.compareAndSet(State.NEW, State.STARTING)) {
                throw new IllegalStateException(component + " cannot be started more than once (it is "
                        + state.get() + ")");
            }
            try {
                doStart();
            } catch (Throwable failure) {
                if (state.compareAndSet(State.STARTING, State.FAILED)) {
                    try {
                        doStop();
                    } catch (RuntimeException cleanup) {
                        failure.addSuppressed(cleanup);
                    }
                }
                throw failure;
            }
            state.compareAndSet(State.STARTING, State.RUNNING); // else closed from inside doStart(): stays STOPPED
        } finally {
            starting.unlock();
        }
    }

    @Override
    public final void close() {
        if (state.get() == State.STARTING && !starting.isHeldByCurrentThread()) {
            starting.lock(); // let the start finish, then stop what it opened
            starting.unlock();
        }
        State previous = state.getAndUpdate(s -> switch (s) {
            case NEW -> State.STOPPED;
            case STARTING, RUNNING -> State.STOPPING;
            default -> s;
        });
        if (previous != State.STARTING && previous != State.RUNNING) {
            return;
        }
        try {
            doStop();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, component + ": releasing failed", e);
        } finally {
            state.set(State.STOPPED);
        }
    }

    public final State state() {
        return state.get();
    }

    /** RUNNING: started and not (being) closed. */
    public final boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** STOPPING, STOPPED or FAILED: closing or closed; loops of the part end when they see it. */
    public final boolean isStopped() {
        State now = state.get();
        return now == State.STOPPING || now == State.STOPPED || now == State.FAILED;
    }

    /** What the part is, as given at construction. */
    public final String component() {
        return component;
    }

    @Override
    public String toString() {
        return component + " (" + state.get() + ")";
    }
}
