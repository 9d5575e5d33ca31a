package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ReplayGuard;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's side of the children's death watch: a listening socket whose connections carry one signed
 * {@link WatchGreeting} from the child, then nothing. A child sits in a blocking read on its end; when the monitor's
 * process dies, the kernel closes the connection and the child's read returns at once (the principle of the
 * per-machine supervisor link: no heartbeats). The other way round, the monitor knows whose link each connection is:
 * while a child's link is open its process is alive, so a child that answers polls slowly is not dead
 * ({@link #linkOpen}); only a silence longer than {@link #hungAfter} makes it so (hung).
 *
 * <p>A monitor that leaves on purpose (suicide, shutdown) first writes one farewell byte so its watchers do not take it
 * for a death. One selector thread serves every connection, so a slow or silent peer costs no thread: a connection
 * that has not greeted within {@link #GREETING_DEADLINE_MS}, sends a bad greeting, or sends anything after it, is
 * closed; at most {@link #MAX_PENDING} wait for their greeting (a newcomer displaces the oldest) and
 * {@link #MAX_CONNECTIONS} in all.
 */
final class WatchSocket extends LifeCycle<IOException> {

    private static final System.Logger LOG = System.getLogger(WatchSocket.class.getName());
    static final int MAX_CONNECTIONS = 4096;
    static final int MAX_PENDING = 64;
    static final long GREETING_DEADLINE_MS = 5_000;
    /** Farewell byte: this monitor was superseded by a better one, which polls the children. */
    static final int SUPERSEDED = 'S';
    /** Farewell byte: this monitor is being stopped on purpose. */
    static final int STOPPING = 'C';
    /** Farewell byte to one warm standby: another one is linked already; this one is not needed. */
    static final int DISMISSED = 'D';
    /** Poll intervals of silence after which a live (linked) peer counts as hung; at least {@link #MIN_HUNG_AFTER}. */
    static final int HUNG_AFTER_POLLS = 10;
    static final Duration MIN_HUNG_AFTER = Duration.ofSeconds(5);

    private final InetAddress bind;
    private final String name;
    private final RequestSigner signer;
    private final ReplayGuard replays;
    /** Greeted links and whose they are; read by the monitor's cycle thread. */
    private final Map<SocketChannel, String> named = new ConcurrentHashMap<>();
    /** Connections still to greet, oldest first, with their deadlines; selector thread only. */
    private final Map<SocketChannel, Greeting> pending = new LinkedHashMap<>();
    private Selector selector;
    private ServerSocketChannel server;
    private Thread thread;

    private record Greeting(long deadlineNanos, ByteBuffer bytes) {
    }

    private WatchSocket(InetAddress bind, String name, RequestSigner signer, Clock clock) {
        super("death watch of " + name);
        this.bind = bind;
        this.name = name;
        this.signer = signer;
        this.replays = new ReplayGuard(clock);
    }

    /** Listens on an ephemeral port of {@code bind}; greetings are checked with {@code signer}. */
    static WatchSocket open(InetAddress bind, String name, RequestSigner signer, Clock clock) throws IOException {
        WatchSocket socket = new WatchSocket(bind, name, signer, clock);
        socket.start();
        return socket;
    }

    /**
     * How long a peer whose death-watch link is open may stay silent before it counts as hung rather than slow:
     * {@value #HUNG_AFTER_POLLS} poll intervals, at least {@link #MIN_HUNG_AFTER} (a long GC pause, a flood, a
     * SIGSTOP that ends).
     */
    static Duration hungAfter(Duration pollInterval) {
        Duration polls = pollInterval.multipliedBy(HUNG_AFTER_POLLS);
        return polls.compareTo(MIN_HUNG_AFTER) > 0 ? polls : MIN_HUNG_AFTER;
    }

    @Override
    protected void doStart() throws IOException {
        selector = Selector.open();
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(bind, 0), 128);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            if (server != null) {
                server.close();
            }
            selector.close();
            throw e;
        }
        thread = NamedThreads.start(name + "-watch", this::serve);
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** Children linked now (greeted, still open). */
    int watchers() {
        return named.size();
    }

    /** The names of the links open now (children, and a warm standby). */
    java.util.Set<String> linked() {
        return java.util.Set.copyOf(named.values());
    }

    /** Whether {@code child} has greeted and its link is still open: its process is alive. */
    boolean linkOpen(String child) {
        return named.containsValue(child);
    }

    private void serve() {
        while (!isStopped()) {
            try {
                selector.select(250);
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext();) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isAcceptable()) {
                        accept();
                    } else if (key.isValid() && key.isReadable()) {
                        read((SocketChannel) key.channel());
                    }
                }
                expireGreetings();
            } catch (ClosedSelectorException closed) {
                return;
            } catch (java.nio.channels.CancelledKeyException closedMeanwhile) {
                // a connection closed while its key was selected: nothing to serve
            } catch (IOException e) {
                if (!isStopped()) {
                    LOG.log(Level.WARNING, "{0}: watch socket failed: {1}", name, e.getMessage());
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            if (named.size() + pending.size() >= MAX_CONNECTIONS) {
                channel.close();
                continue;
            }
            if (pending.size() >= MAX_PENDING) {
                drop(pending.keySet().iterator().next());
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            pending.put(channel, new Greeting(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GREETING_DEADLINE_MS),
                    ByteBuffer.allocate(WatchGreeting.MAX_BYTES)));
        }
    }

    private void read(SocketChannel channel) {
        try {
            Greeting greeting = pending.get(channel);
            if (greeting == null) {
                // a greeted child sends nothing more: the end of the stream is its death (or its leaving)
                if (channel.read(ByteBuffer.allocate(1)) != 0) {
                    String child = named.get(channel);
                    drop(channel);
                    LOG.log(Level.DEBUG, "{0}: the death-watch link of child {1} closed", name, child);
                }
                return;
            }
            ByteBuffer bytes = greeting.bytes();
            if (channel.read(bytes) < 0) {
                drop(channel);
                return;
            }
            int end = -1;
            for (int i = 0; i < bytes.position() && end < 0; i++) {
                end = bytes.get(i) == '\n' ? i : -1;
            }
            if (end < 0) {
                if (!bytes.hasRemaining()) {
                    drop(channel);
                }
                return;
            }
            pending.remove(channel);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            Optional<String> child = end + 1 != bytes.position() ? Optional.empty()
                    : WatchGreeting.verify(signer, replays, new String(bytes.array(), 0, end, StandardCharsets.UTF_8),
                            local.getAddress().getHostAddress() + ":" + local.getPort());
            if (child.isPresent()) {
                named.put(channel, child.get());
            } else {
                LOG.log(Level.DEBUG, "{0}: closed a death-watch connection from {1}: no valid greeting", name,
                        channel.getRemoteAddress());
                drop(channel);
            }
        } catch (IOException e) {
            drop(channel);
        }
    }

    private void expireGreetings() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<SocketChannel, Greeting>> it = pending.entrySet().iterator(); it.hasNext();) {
            Map.Entry<SocketChannel, Greeting> entry = it.next();
            if (now - entry.getValue().deadlineNanos() < 0) {
                return; // oldest first: the rest are younger
            }
            it.remove();
            closeQuietly(entry.getKey());
        }
    }

    /** Tells the peer linked as {@code name} that it is not needed ({@link #DISMISSED}) and closes its link. */
    void dismiss(String name) {
        for (Map.Entry<SocketChannel, String> link : named.entrySet()) {
            if (link.getValue().equals(name)) {
                try {
                    link.getKey().write(ByteBuffer.wrap(new byte[] {(byte) DISMISSED}));
                } catch (IOException ignored) {
                    // gone already
                }
                drop(link.getKey());
            }
        }
    }

    private void drop(SocketChannel channel) {
        pending.remove(channel);
        named.remove(channel);
        closeQuietly(channel);
    }

    /**
     * Tells every linked child why it goes ({@link #SUPERSEDED} or {@link #STOPPING}: the watcher must not take it for a
     * death) and closes. {@link #close()} alone closes without a farewell, as the kernel does for a dead process.
     */
    void close(int farewell) {
        if (isRunning()) {
            for (SocketChannel channel : named.keySet()) {
                try {
                    channel.write(ByteBuffer.wrap(new byte[] {(byte) farewell})); // one byte fits any send buffer
                } catch (IOException ignored) {
                    // the watcher is gone already
                }
            }
        }
        close();
    }

    /** Ends the selector thread and every connection. */
    @Override
    protected void doStop() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        closeQuietly(server);
        named.keySet().forEach(WatchSocket::closeQuietly);
        named.clear();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pending.keySet().forEach(WatchSocket::closeQuietly); // the thread has ended: its map is ours now
        pending.clear();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
