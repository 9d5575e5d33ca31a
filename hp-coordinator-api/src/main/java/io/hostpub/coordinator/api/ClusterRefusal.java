package io.hostpub.coordinator.api;

import java.io.IOException;

/**
 * A refused cluster call: the status and the reason, the same type on both ends. A handler throws it to answer with
 * that status ({@code 404} unknown job or node, {@code 409} wrong state or wrong coordinator, {@code 503} not running
 * or superseded); {@link ClusterClient} throws it when the peer answered with anything but 200.
 */
public final class ClusterRefusal extends IOException {

    private static final long serialVersionUID = 1L;
    private final int status;

    public ClusterRefusal(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal is a 4xx or 5xx status, not " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The JSON body of a refusal: {@code {"error":"..."}}. */
    public record Body(String error) {
    }
}
