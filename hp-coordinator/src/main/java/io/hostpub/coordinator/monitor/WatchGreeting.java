package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ReplayGuard;
import io.hostpub.coordinator.api.RequestSigner;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one line a child sends first on its death-watch link: its name and a signature of the cluster wire's scheme
 * ({@link RequestSigner}) over method {@code WATCH}, the watch endpoint it connected to and the path {@code /<name>}.
 * The monitor then knows whose link each connection is, so a child that answers polls slowly is not taken for dead
 * while its link is open; only a holder of the installation secret can claim a child's link, and a captured line is
 * good once, at one monitor, within the signature's skew.
 */
final class WatchGreeting {

    static final String METHOD = "WATCH";
    /** Longest greeting accepted (a name, the scheme, millis, nonce and mac fit in a fifth of this). */
    static final int MAX_BYTES = 512;

    private WatchGreeting() {
    }

    /** The greeting of {@code child} to the watch socket at {@code endpoint} ({@code host:port}, as connected to). */
    static byte[] of(RequestSigner signer, String child, String endpoint) {
        return (child + " " + signer.sign(METHOD, endpoint, "/" + child, new byte[0]) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The child a greeting names, if its signature is valid for this watch socket ({@code ownEndpoint}, the address
     * and port the connection reached), timely, and its nonce unused.
     */
    static Optional<String> verify(RequestSigner signer, ReplayGuard replays, String line, String ownEndpoint) {
        String[] parts = line.split(" ", 2);
        if (parts.length != 2 || parts[0].isEmpty()) {
            return Optional.empty();
        }
        return signer.verify(parts[1], METHOD, ownEndpoint, "/" + parts[0], new byte[0]).filter(replays::firstUse)
                .map(signed -> parts[0]);
    }
}
