package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A warm standby of a monitor position (plan key {@code "standby": true}): a coordinator process already running,
 * rehearsed ({@link StandbyRehearsal}), that keeps a death-watch link to the position's active monitor, greeting it
 * as {@code standby@<node>:<pid>} so the active one publishes it ({@link StandbyNotice}). When the kernel closes that
 * link (the active process died) or the active one is unreachable, it takes over at once in this JVM: the takeover
 * starts the monitor, which takes the position's fence (the children see a new coordinator on its way and stand down),
 * recovers the checkpoint and turns ACTIVE after its first poll cycle, with no JVM to start. A farewell on the link
 * means the active one left on purpose: superseded by a newer monitor (the standby watches that one) or stopping (the
 * standby stops too).
 */
public final class WarmStandby extends LifeCycle<RuntimeException> {

    private static final System.Logger LOG = System.getLogger(WarmStandby.class.getName());

    /** Starts the monitor in this JVM. */
    public interface TakeOver {
        void run() throws Exception;
    }

    private final String position;
    private final String node;
    private final CoordinatorStore store;
    private final RequestSigner signer;
    private final Duration pollInterval;
    private final TakeOver takeOver;
    private final Runnable standDown;
    /** Whether the position may run on other nodes than this one: then a standby beside the active one is useless. */
    private final boolean elsewhere;
    private final Thread thread;
    private volatile Socket link;

    private WarmStandby(String position, String node, boolean elsewhere, CoordinatorStore store, RequestSigner signer,
            Duration pollInterval, TakeOver takeOver, Runnable standDown) {
        super("standby of " + position + " on " + node);
        this.position = position;
        this.node = node;
        this.store = store;
        this.signer = signer;
        this.pollInterval = pollInterval;
        this.takeOver = takeOver;
        this.standDown = standDown;
        this.elsewhere = elsewhere;
        this.thread = new NamedThreads("standby-" + position.replace('/', '-')).newThread(this::watch);
    }

    /**
     * @param elsewhere whether the position may also run on other nodes than {@code node}: then this standby stands
     *        down when it finds the active one on its own node, where it would not survive the machine (the active one
     *        launches another elsewhere)
     * @param standDown run when the standby ends without taking over (the active one stopped on purpose, runs on this
     *        node, or the takeover failed); the process should exit
     */
    public static WarmStandby start(String position, String node, boolean elsewhere, CoordinatorStore store,
            RequestSigner signer, Duration pollInterval, TakeOver takeOver, Runnable standDown) {
        WarmStandby standby = new WarmStandby(position, node, elsewhere, store, signer, pollInterval, takeOver,
                standDown);
        standby.start();
        return standby;
    }

    @Override
    protected void doStart() {
        thread.start();
    }

    private void watch() {
        String name = StandbyNotice.linkName(node, ProcessHandle.current().pid());
        while (!isStopped()) {
            MonitorEndpoint active = endpoint().orElse(null);
            if (active == null) {
                LockSupport.parkNanos(pollInterval.toNanos()); // no monitor ran yet, or the store is unreachable
                continue;
            }
            if (elsewhere && active.node().equals(node)) {
                LOG.log(Level.INFO, "standby for {0}: the active monitor runs on this node ({1}) too, where a standby"
                        + " would not survive the machine; standing down for one on another node", position, node);
                standDown.run();
                return;
            }
            String target = active.address() + ":" + active.watchPort();
            int farewell = -1;
            boolean linked = false;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(active.address(), active.watchPort()),
                        (int) Math.max(100, pollInterval.toMillis()));
                socket.getOutputStream().write(WatchGreeting.of(signer, name, target));
                link = socket;
                linked = true;
                LOG.log(Level.INFO, "standby for {0}: linked to the active monitor (pid {1} on node {2}, {3})",
                        position, String.valueOf(active.pid()), active.node(), target);
                farewell = socket.getInputStream().read(); // blocks until the active one leaves
            } catch (IOException | RuntimeException e) {
                // refused, reset, timed out: the same as the end of the stream
            }
            link = null;
            if (isStopped()) {
                return;
            }
            if (farewell == WatchSocket.STOPPING || farewell == WatchSocket.DISMISSED) {
                LOG.log(Level.INFO, "standby for {0}: {1}; standing down", position, farewell == WatchSocket.STOPPING
                        ? "the active monitor stopped on purpose" : "another standby is linked already");
                standDown.run();
                return;
            }
            if (farewell == WatchSocket.SUPERSEDED) {
                awaitSuccessorOf(active);
                continue;
            }
            LOG.log(Level.INFO, "standby for {0}: the active monitor (pid {1} on node {2}) is gone ({3}); taking over",
                    position, String.valueOf(active.pid()), active.node(),
                    linked ? "its link closed" : "unreachable at " + target);
            try {
                takeOver.run();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "standby for " + position + ": takeover failed", e);
                standDown.run();
            }
            return;
        }
    }

    /** A newer monitor superseded the one watched: waits (a few poll intervals at most) until its endpoint is written. */
    private void awaitSuccessorOf(MonitorEndpoint superseded) {
        long deadline = System.nanoTime() + pollInterval.multipliedBy(3).toNanos();
        while (!isStopped() && System.nanoTime() < deadline
                && endpoint().map(superseded::equals).orElse(true)) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private Optional<MonitorEndpoint> endpoint() {
        try {
            return MonitorEndpoint.read(store, position);
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "standby for {0}: cannot read the active endpoint: {1}", position, e.toString());
            return Optional.empty();
        }
    }

    @Override
    protected void doStop() {
        Socket socket = link;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        thread.interrupt();
    }
}
