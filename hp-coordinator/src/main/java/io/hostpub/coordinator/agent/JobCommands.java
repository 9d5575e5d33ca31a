package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.store.StoreException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The command line a job's process starts with on this node: the spec's own, or one that needs something brought to
 * the node first (a WAR version, {@link io.hostpub.coordinator.rollout.WarFetch}). Asked on the agent's event thread:
 * what takes long is done elsewhere and completes the future; the job waits WANTRUN meanwhile.
 */
@FunctionalInterface
public interface JobCommands {

    /** The spec's command, as it is. */
    JobCommands AS_GIVEN = spec -> CompletableFuture.completedFuture(spec.command());

    CompletableFuture<List<String>> command(JobSpec spec) throws StoreException;
}
