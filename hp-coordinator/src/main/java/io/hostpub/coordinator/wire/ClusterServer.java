package io.hostpub.coordinator.wire;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterProtocol;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.Route;
import io.hostpub.lifecycle.LifeCycle;
import io.hostpub.lifecycle.NamedThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The HTTP endpoint of an agent or coordinator on the cluster wire: {@link Route}s of JSON requests and replies, every
 * request carrying the {@link ClusterProtocol#VERSION protocol version} and authenticated by {@link RequestSigner}.
 * Bound to one address (loopback unless configured otherwise); handlers run on a few named daemon threads. Refusals
 * are JSON too: 400 unknown protocol version or malformed, 401 unsigned or stale, 404 unknown path, 405 not POST,
 * 413 too big, and whatever {@link ClusterRefusal} a handler throws.
 */
public final class ClusterServer extends LifeCycle<IOException> {

    private static final System.Logger LOG = System.getLogger(ClusterServer.class.getName());

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
    private record Call<Q, R>(Q request, RouteHandler<Q, R> handler) {
        Object run() throws Exception {
            return handler.handle(request);
        }
    }

    private final InetSocketAddress address;
    private final ExecutorService executor;
    private final RequestSigner signer;
    private final Map<String, Function<byte[], Call<?, ?>>> routes;
    private HttpServer server;

    private ClusterServer(String name, InetSocketAddress address, RequestSigner signer, Routes routes) {
        super("cluster endpoint of " + name);
        this.address = address;
        this.executor = Executors.newFixedThreadPool(4, new NamedThreads(name + "-http"));
        this.signer = signer;
        this.routes = Map.copyOf(routes.handlers);
    }

    /** Binds {@code address} (port 0: any free port) and serves {@code routes}. */
    public static ClusterServer start(String name, InetSocketAddress address, RequestSigner signer, Routes routes)
            throws IOException {
        ClusterServer server = new ClusterServer(name, address, signer, routes);
        server.start();
        return server;
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(address, 64);
        server.createContext("/", this::exchange);
        server.setExecutor(executor);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String version = exchange.getRequestHeaders().getFirst(ClusterProtocol.VERSION_HEADER);
            if (!String.valueOf(ClusterProtocol.VERSION).equals(version)) {
                reply(exchange, 400, new ClusterRefusal.Body("cluster protocol version " + (version == null
                        ? "missing (header " + ClusterProtocol.VERSION_HEADER + ")" : "'" + version + "' not supported")
                        + "; this peer speaks version " + ClusterProtocol.VERSION));
                return;
            }
            Function<byte[], Call<?, ?>> handler = routes.get(path);
            if (handler == null) {
                reply(exchange, 404, new ClusterRefusal.Body("no such endpoint: " + path));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                reply(exchange, 405, new ClusterRefusal.Body("use POST"));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                reply(exchange, 413, new ClusterRefusal.Body("request larger than " + ClusterProtocol.MAX_BODY
                        + " bytes"));
                return;
            }
            if (!signer.verify(exchange.getRequestHeaders().getFirst("Authorization"), "POST", path, body)) {
                LOG.log(Level.DEBUG, "refused an unsigned or stale request for {0} from {1}", path,
                        exchange.getRemoteAddress());
                reply(exchange, 401, new ClusterRefusal.Body("request not signed with this installation's secret"));
                return;
            }
            Object result;
            try {
                result = handler.apply(body).run();
            } catch (ClusterRefusal e) {
                reply(exchange, e.status(), new ClusterRefusal.Body(e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, new ClusterRefusal.Body(e.getMessage()));
                return;
            } catch (Exception e) {
                LOG.log(Level.WARNING, "handler for " + path + " failed", e);
                reply(exchange, 500, new ClusterRefusal.Body(e.toString()));
                return;
            }
            try {
                reply(exchange, 200, result);
            } catch (IOException gone) {
                // the caller gave up waiting (its poll timed out): nothing to tell it
                LOG.log(Level.DEBUG, "reply to {0} for {1} not delivered: {2}", exchange.getRemoteAddress(), path,
                        gone.getMessage());
            }
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(ClusterProtocol.MAX_BODY + 1);
        return body.length > ClusterProtocol.MAX_BODY ? null : body;
    }

    private static void reply(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] json = Json.write(value == null ? Map.of() : value);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    /** Stops accepting, stops the threads. */
    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
