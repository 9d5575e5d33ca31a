package io.hostpub.coordinator.wire;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterProtocol;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ReplayGuard;
import io.hostpub.coordinator.api.RequestSigner;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request on the cluster wire, checked in the order that costs least first: protocol version, route, method,
 * size, then the body (read without holding a thread while it arrives), then the signature over it, its destination
 * (421 if meant for another peer) and its nonce (401 if used before), and only then the route's handler, on a
 * thread of the server's pool.
 */
final class ClusterExchange extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(ClusterExchange.class.getName());

    private final RequestSigner signer;
    private final Map<String, Function<byte[], ClusterServer.Call<?, ?>>> routes;
    private final UnansweredConnections unanswered;
    private final Executor workers;
    private final OwnAuthority own;
    private final ReplayGuard replays = new ReplayGuard(java.time.Clock.systemUTC());

    ClusterExchange(RequestSigner signer, Map<String, Function<byte[], ClusterServer.Call<?, ?>>> routes,
            UnansweredConnections unanswered, Executor workers, OwnAuthority own) {
        this.signer = signer;
        this.own = own;
        this.routes = routes;
        this.unanswered = unanswered;
        this.workers = workers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        unanswered.requestArrived(request.getConnectionMetaData().getConnection());
        String path = request.getHttpURI().getPath();
        String version = request.getHeaders().get(ClusterProtocol.VERSION_HEADER);
        if (!String.valueOf(ClusterProtocol.VERSION).equals(version)) {
            reply(response, callback, 400, new ClusterRefusal.Body("cluster protocol version " + (version == null
                    ? "missing (header " + ClusterProtocol.VERSION_HEADER + ")" : "'" + version + "' not supported")
                    + "; this peer speaks version " + ClusterProtocol.VERSION));
            return true;
        }
        Function<byte[], ClusterServer.Call<?, ?>> route = path == null ? null : routes.get(path);
        if (route == null) {
            reply(response, callback, 404, new ClusterRefusal.Body("no such endpoint: " + path));
            return true;
        }
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            reply(response, callback, 405, new ClusterRefusal.Body("use POST"));
            return true;
        }
        if (request.getLength() > ClusterProtocol.MAX_BODY) {
            reply(response, callback, 413, tooLarge());
            return true;
        }
        Content.Source.asByteArrayAsync(request, ClusterProtocol.MAX_BODY).whenCompleteAsync((body, failure) -> {
            if (failure != null) {
                if (failure instanceof IllegalArgumentException
                        || failure.getCause() instanceof IllegalArgumentException) {
                    reply(response, callback, 413, tooLarge()); // a chunked body past the limit
                } else {
                    callback.failed(failure); // too slow, or the caller went away: nobody to answer
                }
                return;
            }
            answer(request, response, callback, path, route, body);
        }, workers);
        return true;
    }

    private void answer(Request request, Response response, Callback callback, String path,
            Function<byte[], ClusterServer.Call<?, ?>> route, byte[] body) {
        String authority = OwnAuthority.normalize(request.getHeaders().get(HttpHeader.HOST));
        var signed = signer.verify(request.getHeaders().get(HttpHeader.AUTHORIZATION), "POST", authority, path, body);
        if (signed.isEmpty()) {
            LOG.log(Level.DEBUG, "refused an unsigned or stale request for {0} from {1}", path,
                    Request.getRemoteAddr(request));
            reply(response, callback, 401, new ClusterRefusal.Body(
                    "request not signed with this installation's secret"));
            return;
        }
        if (!own.accepts(authority)) {
            LOG.log(Level.WARNING, "refused a signed request for {0} meant for {1}, sent by {2}", path, authority,
                    Request.getRemoteAddr(request));
            reply(response, callback, 421, new ClusterRefusal.Body("request signed for another destination ("
                    + authority + ")"));
            return;
        }
        if (!replays.firstUse(signed.get())) {
            LOG.log(Level.WARNING, "refused a replayed request for {0} from {1}", path, Request.getRemoteAddr(request));
            reply(response, callback, 401, new ClusterRefusal.Body("request replayed (its nonce was used before)"));
            return;
        }
        Object result;
        try {
            result = route.apply(body).run();
        } catch (ClusterRefusal e) {
            reply(response, callback, e.status(), new ClusterRefusal.Body(e.getMessage()));
            return;
        } catch (IllegalArgumentException e) {
            reply(response, callback, 400, new ClusterRefusal.Body(e.getMessage()));
            return;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "handler for " + path + " failed", e);
            reply(response, callback, 500, new ClusterRefusal.Body(e.toString()));
            return;
        }
        // a caller that gave up waiting (its poll timed out) fails the write: nothing to tell it
        reply(response, callback, 200, result);
    }

    private static ClusterRefusal.Body tooLarge() {
        return new ClusterRefusal.Body("request larger than " + ClusterProtocol.MAX_BODY + " bytes");
    }

    private static void reply(Response response, Callback callback, int status, Object value) {
        byte[] json = Json.write(value == null ? Map.of() : value);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
    }
}
