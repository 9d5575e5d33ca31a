package io.hostpub.coordinator.api;

import io.hostpub.admin.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URL;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;

/**
 * The one caller of the cluster wire: signed JSON POSTs by {@link Route}, used by coordinators, agents, the WAR and
 * {@code hpctl}. A peer that is down, refuses the connection or does not answer in time is an {@link IOException}
 * (what a coordinator counts as a missed poll); a peer that answers anything but 200 is a {@link ClusterRefusal}
 * with its status and reason.
 *
 * <p>Built on {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: it starts no thread, so the WAR that
 * uses it leaves nothing running when it is undeployed, and there is nothing to close. One connection per call
 * ({@code Connection: close}): agents and coordinators restart on their fixed ports, and a pooled connection to a
 * dead predecessor would turn the next call into a reset instead of a refused connection (which a coordinator takes
 * for "dead" at once); a call is a poll a second per child, so the handshake it costs does not matter.
 */
public final class ClusterClient {

    /** The largest reply read, in bytes: a cluster report of a few thousand jobs fits many times. */
    static final int MAX_REPLY = 16 << 20;

    private final RequestSigner signer;
    private final int connectTimeoutMs;
    private final ClusterTls tls;

    /** A client of a cluster that runs plain HTTP. */
    public ClusterClient(RequestSigner signer, Duration connectTimeout) {
        this(signer, connectTimeout, Optional.empty());
    }

    /** A client of a cluster that runs TLS when {@code tls} is present ({@link ClusterTls#of}), plain HTTP otherwise. */
    public ClusterClient(RequestSigner signer, Duration connectTimeout, Optional<ClusterTls> tls) {
        this.signer = signer;
        this.connectTimeoutMs = Math.toIntExact(connectTimeout.toMillis());
        this.tls = tls.orElse(null);
    }

    /**
     * Calls {@code route} on {@code peer}.
     *
     * @param timeout how long the peer may take to answer once connected (per read)
     * @throws ClusterRefusal the peer answered with a refusal
     * @throws IOException    the peer is unreachable, silent or answered something that is not the route's reply
     */
    public <Q, R> R call(InetSocketAddress peer, Route<Q, R> route, Q request, Duration timeout) throws IOException {
        byte[] body = Json.write(request);
        URL url = new URL(tls == null ? "http" : "https", hostLiteral(peer), peer.getPort(), route.path());
        HttpURLConnection http = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        if (http instanceof HttpsURLConnection https) {
            // the JDK checks the certificate against the address called (an IP subject alternative name) itself
            https.setSSLSocketFactory(tls.context().getSocketFactory());
        }
        http.setConnectTimeout(connectTimeoutMs);
        http.setReadTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
        http.setUseCaches(false);
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setFixedLengthStreamingMode(body.length);
        http.setRequestProperty("Content-Type", "application/json");
        http.setRequestProperty("Connection", "close");
        http.setRequestProperty(ClusterProtocol.VERSION_HEADER, String.valueOf(ClusterProtocol.VERSION));
        // the Host header HttpURLConnection sends: host:port of the URL (the port is always given here)
        String authority = hostLiteral(peer) + ":" + peer.getPort();
        http.setRequestProperty("Authorization", signer.sign("POST", authority, route.path(), body));
        try (OutputStream out = http.getOutputStream()) {
            out.write(body);
        }
        int status = http.getResponseCode();
        byte[] reply = readFully(status == 200 ? http.getInputStream() : http.getErrorStream(), url);
        if (status != 200) {
            throw new ClusterRefusal(status >= 400 && status <= 599 ? status : 502, url + ": " + reason(status, reply));
        }
        try {
            return Json.read(reply, route.reply());
        } catch (IllegalArgumentException e) {
            throw new IOException(url + " answered something that is not a " + route.reply().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] readFully(InputStream in, URL url) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            byte[] bytes = in.readNBytes(MAX_REPLY + 1);
            if (bytes.length > MAX_REPLY) {
                throw new IOException(url + " answered more than " + MAX_REPLY + " bytes");
            }
            return bytes;
        }
    }

    private static String reason(int status, byte[] reply) {
        try {
            String error = Json.read(reply, ClusterRefusal.Body.class).error();
            return error == null ? "HTTP " + status : error;
        } catch (IllegalArgumentException notJson) {
            return "HTTP " + status;
        }
    }

    private static String hostLiteral(InetSocketAddress peer) {
        String host = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
