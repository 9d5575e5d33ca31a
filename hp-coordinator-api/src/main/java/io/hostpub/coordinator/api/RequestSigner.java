package io.hostpub.coordinator.api;

import io.hostpub.admin.api.wire.InstallationSecret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Authenticates the cluster's HTTP calls with the installation secret:
 * {@code Authorization: Hostpub <millis>:<nonce>:<mac>} where the mac is the secret's HMAC-SHA256 over the purpose
 * label {@code hostpub-cluster-v<VERSION>}, then {@code "\n" method "\n" authority "\n" path "\n" millis "\n" nonce
 * "\n"}, then the body. The authority is the request's {@code Host} header: the destination the caller meant, so a
 * request captured on its way to one peer is refused by every other. A request older or newer than the allowed skew,
 * or with any byte changed, is refused; a fresh nonce per request lets the receiver refuse a second use
 * ({@link ReplayGuard}). Every node shares the secret file (as every clone of a machine does).
 */
public final class RequestSigner {

    public static final String SCHEME = "Hostpub ";
    public static final Duration MAX_SKEW = Duration.ofSeconds(60);
    private static final byte[] PURPOSE = ("hostpub-cluster-v" + ClusterProtocol.VERSION)
            .getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 16;

    private final InstallationSecret secret;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** What a valid signature said: when it was made and its nonce (for the replay check). */
    public record Signed(long atMillis, String nonce) {
    }

    public RequestSigner(InstallationSecret secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /** Signs a request to {@code authority} ({@code host:port}, as its {@code Host} header will say). */
    public String sign(String method, String authority, String path, byte[] body) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return sign(method, authority, path, body, HexFormat.of().formatHex(nonce));
    }

    String sign(String method, String authority, String path, byte[] body, String nonce) {
        long now = clock.millis();
        return SCHEME + now + ":" + nonce + ":" + HexFormat.of().formatHex(secret.mac(
                macInput(method, authority, path, now, nonce, body)));
    }

    /**
     * Whether {@code authorization} is a valid, timely signature of this request as it arrived with {@code authority}
     * in its {@code Host} header. The caller still checks that the authority is its own and the nonce unused.
     */
    public Optional<Signed> verify(String authorization, String method, String authority, String path, byte[] body) {
        if (authorization == null || authority == null || !authorization.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String[] parts = authorization.substring(SCHEME.length()).split(":", 3);
        if (parts.length != 3 || parts[1].length() != 2 * NONCE_BYTES) {
            return Optional.empty();
        }
        try {
            long at = Long.parseLong(parts[0]);
            HexFormat.of().parseHex(parts[1]);
            if (Math.abs(clock.millis() - at) > MAX_SKEW.toMillis()) {
                return Optional.empty();
            }
            boolean valid = secret.verify(HexFormat.of().parseHex(parts[2]),
                    macInput(method, authority, path, at, parts[1], body));
            return valid ? Optional.of(new Signed(at, parts[1])) : Optional.empty();
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private static byte[][] macInput(String method, String authority, String path, long at, String nonce,
            byte[] body) {
        // newline-separated: a request line or header cannot contain one, so no two requests share an input
        return new byte[][] {PURPOSE, ("\n" + method + "\n" + authority + "\n" + path + "\n" + at + "\n" + nonce + "\n")
                .getBytes(StandardCharsets.UTF_8), body};
    }
}
