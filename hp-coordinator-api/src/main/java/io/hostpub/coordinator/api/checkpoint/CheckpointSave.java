package io.hostpub.coordinator.api.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A job's request to its agent to keep {@code data} as its latest checkpoint ({@code data} travels as base64).
 *
 * @param token the job instance's token ({@code HOSTPUB_JOB_TOKEN}): only the instance the agent started last may save
 */
public record CheckpointSave(String job, String token, byte[] data) {

    public CheckpointSave {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CheckpointSave o && job.equals(o.job) && token.equals(o.token)
                && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(job, token, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "CheckpointSave[job=" + job + ", " + data.length + " bytes]";
    }
}
