package io.hostpub.coordinator.monitor;

import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitor's side of the children's death watch: a listening socket whose accepted connections carry nothing and
 * are never read or written. A child keeps one open and sits in a blocking read on it; when the monitor's process
 * dies, the kernel closes the connection and the child's read returns at once (the principle of the per-machine
 * supervisor link: no heartbeats). A monitor that leaves on purpose (suicide, shutdown) first writes one farewell byte
 * so its watchers do not take it for a death. Bounded: past {@link #MAX_CONNECTIONS} a new connection is closed at
 * once.
 */
final class WatchSocket extends LifeCycle<IOException> {

    private static final System.Logger LOG = System.getLogger(WatchSocket.class.getName());
    static final int MAX_CONNECTIONS = 4096;
    /** Farewell byte: this monitor was superseded by a better one, which polls the children. */
    static final int SUPERSEDED = 'S';
    /** Farewell byte: this monitor is being stopped on purpose. */
    static final int STOPPING = 'C';

    private final InetAddress bind;
    private final String name;
    private final Set<Socket> watchers = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    private WatchSocket(InetAddress bind, String name) {
        super("death watch of " + name);
        this.bind = bind;
        this.name = name;
    }

    /** Listens on an ephemeral port of {@code bind} and accepts watchers. */
    static WatchSocket open(InetAddress bind, String name) throws IOException {
        WatchSocket socket = new WatchSocket(bind, name);
        socket.start();
        return socket;
    }

    @Override
    protected void doStart() throws IOException {
        server = new ServerSocket(0, 128, bind);
        NamedThreads.start(name + "-watch", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connected watchers now. */
    int watchers() {
        watchers.removeIf(Socket::isClosed);
        return watchers.size();
    }

    private void accept() {
        while (!isStopped()) {
            try {
                Socket socket = server.accept();
                if (watchers.size() >= MAX_CONNECTIONS) {
                    socket.close();
                    continue;
                }
                watchers.add(socket);
                watchers.removeIf(Socket::isClosed);
            } catch (IOException e) {
                if (!isStopped()) {
                    LOG.log(Level.WARNING, "watch socket accept failed: {0}", e.getMessage());
                }
            }
        }
    }

    /**
     * Tells every watcher why it goes ({@link #SUPERSEDED} or {@link #STOPPING}: the watcher must not take it for a
     * death) and closes. {@link #close()} alone closes without a farewell, as the kernel does for a dead process.
     */
    void close(int farewell) {
        if (isRunning()) {
            for (Socket socket : watchers) {
                try {
                    socket.setSoTimeout(200);
                    socket.getOutputStream().write(farewell);
                    socket.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the watcher is gone already
                }
            }
        }
        close();
    }

    /** Ends the accept loop and every watcher's connection. */
    @Override
    protected void doStop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : watchers) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        watchers.clear();
    }
}
