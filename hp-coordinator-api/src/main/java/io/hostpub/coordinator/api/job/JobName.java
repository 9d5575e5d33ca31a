package io.hostpub.coordinator.api.job;

import java.util.Objects;

/** A job's name in a request, {@code APP/MEMBER}. */
public record JobName(String name) {

    public JobName {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a job name is not blank");
        }
    }
}
