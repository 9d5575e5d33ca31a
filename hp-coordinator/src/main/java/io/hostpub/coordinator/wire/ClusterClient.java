package io.hostpub.coordinator.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Calls agents and monitors: signed JSON POSTs with a per-call timeout. A peer that is down, refuses the connection
 * or does not answer in time is an {@link IOException}: what the caller counts as a missed poll.
 */
public final class ClusterClient implements AutoCloseable {

    private final HttpClient http;
    private final RequestSigner signer;

    public ClusterClient(RequestSigner signer, Duration connectTimeout) {
        this.signer = signer;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Posts {@code request} to {@code path} on {@code peer} and reads the reply as {@code replyType}. */
    public <T> T post(InetSocketAddress peer, String path, Object request, Class<T> replyType, Duration timeout)
            throws IOException {
        byte[] body = Json.write(request);
        URI uri = URI.create("http://" + hostLiteral(peer) + ":" + peer.getPort() + path);
        HttpRequest call = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .header("Authorization", signer.sign("POST", path, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(call, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted calling " + uri, e);
        }
        if (response.statusCode() != 200) {
            String error;
            try {
                error = String.valueOf(Json.read(response.body(), Map.class).get("error"));
            } catch (IllegalArgumentException notJson) {
                error = "HTTP " + response.statusCode();
            }
            throw new PeerRefusedException(response.statusCode(), uri + ": " + error);
        }
        return Json.read(response.body(), replyType);
    }

    private static String hostLiteral(InetSocketAddress peer) {
        String host = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        // java.net.http.HttpClient is AutoCloseable only from Java 21; on 17 its daemon threads end when unused
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }

    /** The peer answered but refused the call (status and its error message). */
    public static final class PeerRefusedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public PeerRefusedException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
