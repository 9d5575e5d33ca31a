package io.hostpub.coordinator.wire;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP endpoint of an agent or monitor: JSON requests and replies, every request authenticated by
 * {@link RequestSigner}. Bound to one address (loopback unless configured otherwise); handlers run on a few named
 * daemon threads. Refusals are JSON too: 401 unsigned, 404 unknown path, 405 not POST, 413 too big, 400 malformed.
 */
public final class ClusterServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterServer.class.getName());
    static final int MAX_BODY = 1 << 20;

    /** One operation: the request body in, the reply object out. */
    public interface Handler {
        Object handle(byte[] body) throws Exception;
    }

    /** A request the handler refuses with a status and a message (unknown job, bad state...). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestSigner signer;
    private final Map<String, Handler> routes;

    private ClusterServer(HttpServer server, ExecutorService executor, RequestSigner signer,
            Map<String, Handler> routes) {
        this.server = server;
        this.executor = executor;
        this.signer = signer;
        this.routes = routes;
    }

    /** Binds {@code address} (port 0: any free port) and serves {@code routes} (path -> handler, all POST). */
    public static ClusterServer start(String name, InetSocketAddress address, RequestSigner signer,
            Map<String, Handler> routes) throws IOException {
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, name + "-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpServer http = HttpServer.create(address, 64);
        ClusterServer server = new ClusterServer(http, executor, signer, new LinkedHashMap<>(routes));
        http.createContext("/", server::exchange);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Handler handler = routes.get(path);
            if (handler == null) {
                reply(exchange, 404, Map.of("error", "no such endpoint: " + path));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                reply(exchange, 405, Map.of("error", "use POST"));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                reply(exchange, 413, Map.of("error", "request larger than " + MAX_BODY + " bytes"));
                return;
            }
            if (!signer.verify(exchange.getRequestHeaders().getFirst("Authorization"), "POST", path, body)) {
                LOG.log(Level.DEBUG, "refused an unsigned or stale request for {0} from {1}", path,
                        exchange.getRemoteAddress());
                reply(exchange, 401, Map.of("error", "request not signed with this installation's secret"));
                return;
            }
            Object result;
            try {
                result = handler.handle(body);
            } catch (Refused e) {
                reply(exchange, e.status(), Map.of("error", e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, Map.of("error", e.getMessage()));
                return;
            } catch (Exception e) {
                LOG.log(Level.WARNING, "handler for " + path + " failed", e);
                reply(exchange, 500, Map.of("error", e.toString()));
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
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void reply(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] json = Json.write(value == null ? Map.of() : value);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    /** Stops accepting, lets running exchanges finish briefly, stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Convenience for routes: reads the body as {@code type}, applies {@code action}. */
    public static <T> Handler json(Class<T> type, ThrowingFunction<T> action) {
        return body -> action.apply(Json.read(body, type));
    }

    public interface ThrowingFunction<T> {
        Object apply(T request) throws Exception;
    }
}
