package io.hostpub.coordinator.api.checkpoint;

import java.util.Objects;

/** A job's request for its latest checkpoint, with its instance's token (as for a save). */
public record CheckpointQuery(String job, String token) {

    public CheckpointQuery {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(token, "token");
    }
}
