package io.hostpub.admin.api.transport;

import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.lifecycle.LifeCycle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Server side of the authenticated RMI transport. Listens on one address only, and wraps every accepted
 * socket so the server half of the {@link Handshake} runs lazily on the socket's first I/O, in the RMI
 * connection thread (never inside {@code accept()}, where one slow peer would stall every connection).
 * Until the handshake succeeds no byte reaches RMI, so nothing is deserialized from an unauthenticated peer.
 * <p>
 * RMI gives every accepted connection a thread of an unbounded pool, so unauthenticated connections are bounded
 * here: each takes one of {@link #MAX_PENDING_HANDSHAKES} slots ({@link HandshakeSlots}: when all are taken, the
 * oldest of the busiest source is closed) and must finish its handshake within one total deadline counted from
 * the accept ({@link DeadlineInputStream}), however slowly it trickles bytes.
 */
public final class AuthenticatedServerSocketFactory extends LifeCycle<RuntimeException>
        implements RMIServerSocketFactory {

    /** Unauthenticated connections at once, per factory (an honest one needs a millisecond or two). */
    public static final int MAX_PENDING_HANDSHAKES = 64;

    /** How long a closing factory lets calls in progress write their returns before it closes their sockets. */
    static final long CLOSE_GRACE_MS = 2_000;

    private final InetAddress bindAddress;
    private final HandshakeSlots handshakes = new HandshakeSlots(MAX_PENDING_HANDSHAKES);
    private final InstallationSecret secret;
    private final int handshakeTimeoutMs;
    private final IntConsumer boundPort;
    private final java.util.Set<ServerSocket> listening = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Socket> connected = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A factory that RMI may ask for listeners until it is closed.
     *
     * @param boundPort told the real port after each bind (port 0 means an ephemeral port)
     */
    public static AuthenticatedServerSocketFactory open(InetAddress bindAddress, InstallationSecret secret,
            int handshakeTimeoutMs, IntConsumer boundPort) {
        AuthenticatedServerSocketFactory factory = new AuthenticatedServerSocketFactory(bindAddress, secret,
                handshakeTimeoutMs, boundPort);
        factory.start();
        return factory;
    }

    private AuthenticatedServerSocketFactory(InetAddress bindAddress, InstallationSecret secret,
            int handshakeTimeoutMs, IntConsumer boundPort) {
        super("authenticated RMI transport on " + bindAddress.getHostAddress());
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.boundPort = Objects.requireNonNull(boundPort, "boundPort");
    }

    /** Nothing to open: RMI asks for listeners on demand. */
    @Override
    protected void doStart() {
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        if (!isRunning()) {
            throw new IOException("the authenticated transport of this runtime is closed");
        }
        ServerSocket server = new HandshakingServerSocket();
        try {
            server.bind(new InetSocketAddress(bindAddress, port), 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        listening.add(server);
        boundPort.accept(server.getLocalPort());
        return server;
    }

    /**
     * Closes every socket this factory listens on. Call it after unexporting the objects that use it: the JDK
     * keeps the listener of an endpoint exported on port 0 (and its "RMI TCP Accept" thread, and through the
     * thread's context class loader a whole web application) after the last object on it is unexported; a closed
     * socket ends the accept thread. The JDK's endpoint cache forgets this factory too ({@link RmiEndpoints}).
     */
    @Override
    protected void doStop() {
        for (ServerSocket server : listening) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        listening.clear();
        // connections accepted earlier end too: a closed runtime answers nobody. An authenticated one has its input
        // shut first: RMI's thread on it then sees the end of the stream once it has written the return of a call in
        // progress (a remote shutdown's own call, whose close runs meanwhile) and closes the socket itself
        for (Socket socket : connected) {
            try {
                if (socket instanceof HandshakingSocket h && h.authenticated) {
                    socket.shutdownInput();
                } else {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        awaitConnectionsEnded(CLOSE_GRACE_MS);
        for (Socket socket : connected) {
            try {
                socket.close(); // e.g. a call still writing to a peer that reads nothing
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connected.clear();
        RmiEndpoints.forget(this);
    }

    private void awaitConnectionsEnded(long graceMs) {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(graceMs);
        synchronized (connected) {
            long left;
            while (!connected.isEmpty() && (left = end - System.nanoTime()) > 0) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(connected, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // Identity equality on purpose: RMI shares a listening endpoint between objects exported on port 0 with
    // equal factories, so each factory instance is its own endpoint with its own port (the registry of one
    // runtime never lands on the port of another runtime's admin object in the same JVM).

    private final class HandshakingServerSocket extends ServerSocket {
        HandshakingServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            HandshakingSocket socket = new HandshakingSocket();
            implAccept(socket);
            socket.admitted(handshakes.admit(socket).slot());
            connected.add(socket);
            if (isStopped()) {
                socket.close();
            }
            return socket;
        }
    }

    /** A socket whose first read or write runs the server half of the handshake. */
    private final class HandshakingSocket extends Socket {

        @Override
        public synchronized void close() throws IOException {
            releaseSlot();
            if (connected.remove(this)) {
                synchronized (connected) {
                    connected.notifyAll();
                }
            }
            super.close();
        }

        private final Object lock = new Object();
        private volatile boolean authenticated;
        private IOException failure;
        /** When the connection arrived (set after the accept, not when {@code accept()} began to wait). */
        private volatile long acceptedNanos;
        private volatile HandshakeSlots.Slot slot;
        private InputStream in;
        private OutputStream out;

        void admitted(HandshakeSlots.Slot slot) {
            this.acceptedNanos = System.nanoTime();
            this.slot = slot;
        }

        private void releaseSlot() {
            HandshakeSlots.Slot s = slot;
            if (s != null) {
                s.release();
            }
        }

        private void ensureAuthenticated() throws IOException {
            if (authenticated) {
                return;
            }
            synchronized (lock) {
                if (authenticated) {
                    return;
                }
                if (failure != null) {
                    throw failure;
                }
                int previousTimeout = super.getSoTimeout();
                try {
                    new Handshake(secret).asServer(new DeadlineInputStream(this, super.getInputStream(),
                            acceptedNanos, handshakeTimeoutMs), super.getOutputStream());
                    super.setSoTimeout(previousTimeout);
                    authenticated = true;
                    releaseSlot();
                } catch (IOException e) {
                    failure = e;
                    close();
                    throw e;
                }
            }
        }

        @Override
        public InputStream getInputStream() throws IOException {
            synchronized (lock) {
                if (in == null) {
                    InputStream raw = super.getInputStream();
                    in = new java.io.FilterInputStream(raw) {
                        @Override public int read() throws IOException {
                            ensureAuthenticated();
                            return super.read();
                        }
                        @Override public int read(byte[] b, int off, int len) throws IOException {
                            ensureAuthenticated();
                            return super.read(b, off, len);
                        }
                        @Override public int available() throws IOException {
                            return authenticated ? super.available() : 0;
                        }
                    };
                }
                return in;
            }
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            synchronized (lock) {
                if (out == null) {
                    OutputStream raw = super.getOutputStream();
                    out = new java.io.FilterOutputStream(raw) {
                        @Override public void write(int b) throws IOException {
                            ensureAuthenticated();
                            raw.write(b);
                        }
                        @Override public void write(byte[] b, int off, int len) throws IOException {
                            ensureAuthenticated();
                            raw.write(b, off, len);
                        }
                        @Override public void flush() throws IOException {
                            ensureAuthenticated();
                            raw.flush();
                        }
                    };
                }
                return out;
            }
        }
    }
}
