package io.hostpub.coordinator.api.checkpoint;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A job's checkpoint as the cluster store keeps it (scope {@code checkpoint/<app>/<member>}, key {@code latest}),
 * written under the fence its agent took when it started the job's instance: a save by an older instance (one that
 * was moved to another node and restarted there, or replaced after a hang) fails in the store itself.
 *
 * @param sequence 1 for the job's first checkpoint, one more for each later one
 * @param node     where the instance that saved it ran; {@code pid} its process
 * @param data     what the job saved ({@code data} on the wire: base64), at most {@code Checkpoints.MAX_BYTES}
 */
public record Checkpoint(String job, long sequence, Instant savedAt, String node, long pid, byte[] data) {

    public Checkpoint {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(savedAt, "savedAt");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint o && job.equals(o.job) && sequence == o.sequence
                && savedAt.equals(o.savedAt) && node.equals(o.node) && pid == o.pid && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(job, sequence, savedAt, node, pid, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Checkpoint[job=" + job + ", sequence=" + sequence + ", savedAt=" + savedAt + ", node=" + node
                + ", pid=" + pid + ", " + data.length + " bytes]";
    }
}
