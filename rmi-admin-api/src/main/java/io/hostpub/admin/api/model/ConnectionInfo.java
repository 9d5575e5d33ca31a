package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One physical connection of a pool.
 *
 * @param failure why the connection is {@link ConnectionState#FAILED} ("" otherwise): what its validation or its
 *        driver said, and when
 */
public record ConnectionInfo(long id, ConnectionState state, Instant createdAt, long ageMs, Instant lastUsedAt,
        String failure) implements Serializable {
    @Serial private static final long serialVersionUID = 2L;

    public ConnectionInfo {
        Checks.nonNegative(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Checks.nonNegative(ageMs, "ageMs");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Checks.text(failure, "failure", 2_000);
    }
}
