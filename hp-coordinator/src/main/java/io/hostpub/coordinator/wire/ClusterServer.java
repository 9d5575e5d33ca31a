package io.hostpub.coordinator.wire;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterProtocol;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterTls;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.Route;
import io.hostpub.lifecycle.LifeCycle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The HTTP endpoint of an agent or coordinator on the cluster wire: {@link Route}s of JSON requests and replies, every
 * request carrying the {@link ClusterProtocol#VERSION protocol version} and authenticated by {@link RequestSigner}.
 * Bound to one address (loopback unless configured otherwise). Refusals are JSON too: 400 unknown protocol version
 * or malformed, 401 unsigned or stale, 404 unknown path, 405 not POST, 413 too big, and whatever
 * {@link ClusterRefusal} a handler throws.
 * <p>
 * Anyone who can reach the port can connect, so the server is Jetty's, which reads request heads and bodies as their
 * bytes arrive and gives a thread only to a complete request: 20 connections sending one header line every 5 s once
 * stalled the JDK's server (a thread each, 4 in all) until a coordinator declared a healthy node dead. Connections
 * without a complete request are bounded and cut off ({@link UnansweredConnections}); an idle connection ends after
 * {@link #IDLE_TIMEOUT_MS}; a body slower than {@link #MIN_BODY_BYTES_PER_SECOND} is aborted.
 */
public final class ClusterServer extends LifeCycle<IOException> {

    /** One route's work: the request in, the reply out; a {@link ClusterRefusal} answers with its status. */
    public interface RouteHandler<Q, R> {
        R handle(Q request) throws Exception;
    }

    /** The routes a server answers, each with its handler. */
    public static final class Routes {
        private final Map<String, Function<byte[], Call<?, ?>>> handlers = new LinkedHashMap<>();

        /** Answers {@code route} with {@code handler}; a path can be served once. */
        public <Q, R> Routes on(Route<Q, R> route, RouteHandler<Q, R> handler) {
            Function<byte[], Call<?, ?>> decoded = body -> new Call<>(Json.read(body, route.request()), handler);
            if (handlers.putIfAbsent(route.path(), decoded) != null) {
                throw new IllegalArgumentException("route served twice: " + route);
            }
            return this;
        }
    }

    /** A decoded request bound to its handler. */
    record Call<Q, R>(Q request, RouteHandler<Q, R> handler) {
        Object run() throws Exception {
            return handler.handle(request);
        }
    }

    /** A connection with nothing moving on it this long ends (a signed call is sent in one go). */
    static final long IDLE_TIMEOUT_MS = 3_000;
    /** A request body is a few KiB sent at once; one trickled slower than this is aborted. */
    static final long MIN_BODY_BYTES_PER_SECOND = 1_024;
    private static final int MAX_THREADS = 16;

    private final String name;
    private final InetSocketAddress address;
    private final RequestSigner signer;
    private final Map<String, Function<byte[], Call<?, ?>>> routes;
    private final ClusterTls tls;
    private Server server;
    private ServerConnector connector;

    private ClusterServer(String name, InetSocketAddress address, RequestSigner signer, Optional<ClusterTls> tls,
            Routes routes) {
        super("cluster endpoint of " + name);
        this.name = name;
        this.address = address;
        this.signer = signer;
        this.tls = tls.orElse(null);
        this.routes = Map.copyOf(routes.handlers);
    }

    /** Binds {@code address} (port 0: any free port) and serves {@code routes}, over TLS when the wire has it. */
    public static ClusterServer start(String name, InetSocketAddress address, ClusterWire wire, Routes routes)
            throws IOException {
        ClusterServer server = new ClusterServer(name, address, wire.signer(), wire.tls(), routes);
        server.start();
        return server;
    }

    @Override
    protected void doStart() throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("hostpub-" + name + "-http");
        threads.setDaemon(true);
        server = new Server(threads, new ScheduledExecutorScheduler("hostpub-" + name + "-http-timer", true), null);
        server.setStopTimeout(0);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(8 * 1024);
        http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);
        connector = tls == null ? new ServerConnector(server, 1, 1, new HttpConnectionFactory(http))
                : new ServerConnector(server, 1, 1, new SslConnectionFactory(serverTls(), "http/1.1"),
                        new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setAcceptQueueSize(64);
        UnansweredConnections unanswered = new UnansweredConnections(component(), server.getScheduler());
        connector.addEventListener(unanswered);
        server.addConnector(connector);
        // the port is known once bound (port 0 means any): the exchange asks for it on its first request
        server.setHandler(new ClusterExchange(signer, routes, unanswered, threads,
                new OwnAuthority(address, () -> connector.getLocalPort())));
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            if (e.getCause() instanceof java.net.BindException bind) {
                // callers tell "someone else listens here" from other failures by the type, as with any server socket
                java.net.BindException refused = new java.net.BindException(bind.getMessage() + ": " + address);
                refused.initCause(e);
                throw refused;
            }
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("cannot serve the cluster wire on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Jetty's TLS over the installation's context; clients are not asked for certificates (requests are signed). */
    private SslContextFactory.Server serverTls() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls.context());
        return factory;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(address.getAddress(), connector.getLocalPort());
    }

    /** Stops accepting, closes every connection, stops the threads. */
    @Override
    protected void doStop() {
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            System.getLogger(ClusterServer.class.getName()).log(System.Logger.Level.WARNING,
                    component() + ": stopping failed: " + e);
        }
    }
}
