package io.hostpub.coordinator.agent;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.checkpoint.Checkpoint;
import io.hostpub.coordinator.api.checkpoint.CheckpointQuery;
import io.hostpub.coordinator.api.checkpoint.CheckpointSave;
import io.hostpub.coordinator.checkpoints.Checkpoints;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The agent's side of job checkpoints ({@link Checkpoints}): each instance of a job it starts gets a token (in its
 * environment) and a new fence of the job's checkpoint scope, so the store itself refuses a save by any earlier
 * instance, on this node or another. A save or read must carry the token of the job's current instance here.
 * Runs on the agent's event thread (as the job state it checks).
 */
final class CheckpointDesk {

    static final String KEY = "latest";
    private static final System.Logger LOG = System.getLogger(CheckpointDesk.class.getName());

    private final String node;
    private final CoordinatorStore store;
    private final Clock clock;
    private final java.util.function.Supplier<java.net.InetSocketAddress> endpoint;

    /** @param endpoint where the agent listens, which its jobs call */
    CheckpointDesk(String node, CoordinatorStore store, Clock clock,
            java.util.function.Supplier<java.net.InetSocketAddress> endpoint) {
        this.node = node;
        this.store = store;
        this.clock = clock;
        this.endpoint = endpoint;
    }

    /** Where the agent listens, for its jobs' environment. */
    java.net.InetSocketAddress endpoint() {
        return endpoint.get();
    }

    /** The store scope of {@code job}'s checkpoints. */
    static String scope(String job) {
        return "checkpoint/" + job;
    }

    /**
     * A new instance of {@code job}: its token, and the fence that supersedes every earlier instance's. A store that
     * refuses the fence does not keep the job from starting (its checkpoints are refused until its next start).
     */
    Instance newInstance(String job) {
        return instance(job, UUID.randomUUID().toString());
    }

    /** A running instance adopted from an earlier agent of the node: its token as recorded, and a new fence. */
    Instance adopted(String job, String token) {
        return instance(job, token == null ? UUID.randomUUID().toString() : token);
    }

    private Instance instance(String job, String token) {
        try {
            return new Instance(token, store.acquire(scope(job), "job " + job + " on " + node));
        } catch (StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "agent {0}: job {1} starts without checkpoints: the store refused its fence: {2}",
                    node, job, e.toString());
            return new Instance(token, null);
        }
    }

    /** What an instance saves with: its token and its fence (null when the store refused one). */
    record Instance(String token, Fence fence) {
    }

    Checkpoint save(CheckpointSave save, Optional<SupervisedJob> job) throws ClusterRefusal, StoreException {
        if (save.data().length > Checkpoints.MAX_BYTES) {
            throw new ClusterRefusal(413, "a checkpoint is at most " + Checkpoints.MAX_BYTES + " bytes, not "
                    + save.data().length);
        }
        SupervisedJob current = current(save.job(), save.token(), job);
        if (current.instance().fence() == null) {
            throw new ClusterRefusal(503, "job " + save.job() + ": the cluster store refused this instance's fence"
                    + " when it started; no checkpoint can be saved until the job's next start");
        }
        long sequence = latest(save.job()).map(Checkpoint::sequence).orElse(0L) + 1;
        long pid = current.process().map(ProcessHandle::pid).orElse(0L);
        Checkpoint checkpoint = new Checkpoint(save.job(), sequence, clock.instant(), node, pid, save.data());
        try {
            store.put(current.instance().fence(), KEY, Json.write(checkpoint));
        } catch (StaleEpochException e) {
            throw new ClusterRefusal(409, "job " + save.job() + ": this instance (pid " + pid + " on " + node + ") is"
                    + " stale, a newer instance of the job was started since; its checkpoint was not saved");
        }
        return checkpoint;
    }

    Checkpoint latest(CheckpointQuery query, Optional<SupervisedJob> job) throws ClusterRefusal, StoreException {
        current(query.job(), query.token(), job);
        return latest(query.job()).orElseThrow(() -> new ClusterRefusal(404, "job " + query.job()
                + " has no checkpoint yet"));
    }

    private Optional<Checkpoint> latest(String job) throws StoreException {
        return store.get(scope(job), KEY).map(bytes -> Json.read(bytes, Checkpoint.class));
    }

    /** The job's current instance on this node, if {@code token} is its token. */
    private SupervisedJob current(String name, String token, Optional<SupervisedJob> job) throws ClusterRefusal {
        if (job.isEmpty()) {
            // not 404, which means "no checkpoint yet" to the job's code
            throw new ClusterRefusal(409, "no job " + name + " on node " + node + ": only a running instance of a job"
                    + " reads or saves its checkpoints");
        }
        Instance instance = job.get().instance();
        if (instance == null || !instance.token().equals(token) || job.get().process().isEmpty()) {
            throw new ClusterRefusal(409, "job " + name + ": not its current instance on " + node + " (a newer one"
                    + " was started, or it is not running); nothing saved or read");
        }
        return job.get();
    }
}
