package io.hostpub.coordinator.api;

import io.hostpub.admin.api.wire.InstallationSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Authenticates the cluster's HTTP calls with the installation secret: {@code Authorization: Hostpub <millis>:<mac>}
 * where the mac is the secret's HMAC-SHA256 over the purpose label {@code hostpub-cluster-v<VERSION>}, then
 * {@code "\n" method "\n" path "\n" millis "\n"}, then the body. A request older or newer than the allowed skew, or
 * with any byte changed, is refused. Every node shares the secret file (as every clone of a machine does).
 *
 * <p>Replays: a captured request verifies again within {@link #MAX_SKEW} of its time. Every route is idempotent (a
 * repeated poll, start, stop, forget or operator intent leaves the same state as the first), so a replay inside the
 * window changes nothing the original did not; outside it, it is refused.
 */
public final class RequestSigner {

    public static final String SCHEME = "Hostpub ";
    public static final Duration MAX_SKEW = Duration.ofSeconds(60);
    private static final byte[] PURPOSE = ("hostpub-cluster-v" + ClusterProtocol.VERSION)
            .getBytes(StandardCharsets.US_ASCII);

    private final InstallationSecret secret;
    private final Clock clock;

    public RequestSigner(InstallationSecret secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    public String sign(String method, String path, byte[] body) {
        long now = clock.millis();
        return SCHEME + now + ":" + HexFormat.of().formatHex(mac(method, path, now, body));
    }

    /** Whether {@code authorization} is a valid, timely signature of this request. */
    public boolean verify(String authorization, String method, String path, byte[] body) {
        if (authorization == null || !authorization.startsWith(SCHEME)) {
            return false;
        }
        String[] parts = authorization.substring(SCHEME.length()).split(":", 2);
        if (parts.length != 2) {
            return false;
        }
        try {
            long at = Long.parseLong(parts[0]);
            if (Math.abs(clock.millis() - at) > MAX_SKEW.toMillis()) {
                return false;
            }
            return secret.verify(HexFormat.of().parseHex(parts[1]), macInput(method, path, at, body));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private byte[] mac(String method, String path, long at, byte[] body) {
        return secret.mac(macInput(method, path, at, body));
    }

    private static byte[][] macInput(String method, String path, long at, byte[] body) {
        // newline-separated: a request line cannot contain one, so no two requests share an input
        return new byte[][] {PURPOSE, ("\n" + method + "\n" + path + "\n" + at + "\n").getBytes(StandardCharsets.UTF_8),
            body};
    }
}
