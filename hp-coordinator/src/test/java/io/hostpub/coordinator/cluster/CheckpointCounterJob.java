package io.hostpub.coordinator.cluster;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.checkpoints.Checkpoints;
import java.nio.charset.StandardCharsets;

/**
 * A cluster job for the checkpoint tests, run as a process of its own: it resumes a counter from its job's latest
 * checkpoint, then adds one and saves it every 100 ms. So in every checkpoint the count equals the sequence, unless
 * an instance ever started from anything but the latest checkpoint. Exits 3 when a save is refused.
 */
public final class CheckpointCounterJob {

    private CheckpointCounterJob() {
    }

    public static void main(String[] args) throws Exception {
        Checkpoints checkpoints = Checkpoints.fromEnvironment().orElseThrow(() -> new IllegalStateException(
                "not a cluster job"));
        long count = checkpoints.latest().map(c -> Long.parseLong(new String(c.data(), StandardCharsets.UTF_8)))
                .orElse(0L);
        System.out.println("resumed " + checkpoints.job() + " at " + count);
        while (true) {
            try {
                count++;
                checkpoints.save(String.valueOf(count).getBytes(StandardCharsets.UTF_8));
            } catch (ClusterRefusal refused) {
                System.out.println("refused: " + refused.getMessage());
                System.exit(3);
            }
            Thread.sleep(100);
        }
    }
}
