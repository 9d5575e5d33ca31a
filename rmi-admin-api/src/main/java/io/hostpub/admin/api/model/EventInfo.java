package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One recent event of an instance. The message may quote remote peers: display it escaped. */
public record EventInfo(Instant at, EventKind kind, String message) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public EventInfo {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Checks.text(message, "message", 2_000);
    }
}
