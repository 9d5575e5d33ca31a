package io.hostpub.coordinator.checkpoints;

import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.checkpoint.Checkpoint;
import io.hostpub.coordinator.api.checkpoint.CheckpointQuery;
import io.hostpub.coordinator.api.checkpoint.CheckpointSave;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checkpoints for the code running in a cluster job (seed 003: a job "restarted at the last checkpoint", which is
 * "replicated remotely"): {@link #save} keeps bytes as the job's latest checkpoint in the cluster store (the embedded
 * journal, or ZooKeeper and so every machine of the ensemble), {@link #latest} reads it back, also in a new instance
 * of the job on another node. Only the instance its agent started last may save: a stale one (moved or replaced
 * meanwhile) is refused. Calls go to the job's own agent over the signed cluster wire; nothing here starts a thread.
 *
 * <pre>
 *   Optional&lt;Checkpoints&gt; checkpoints = Checkpoints.fromEnvironment();  // empty outside a cluster job
 *   long count = checkpoints.flatMap(Checkpoints::latest).map(c -&gt; decode(c.data())).orElse(0L);
 *   checkpoints.get().save(encode(count + 1));
 * </pre>
 */
public final class Checkpoints {

    /** The largest checkpoint, in bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    /** What an agent sets in its job's environment: the job's name, its instance token, the agent's endpoint. */
    public static final String JOB = "HOSTPUB_JOB";
    public static final String TOKEN = "HOSTPUB_JOB_TOKEN";
    public static final String AGENT = "HOSTPUB_AGENT";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String job;
    private final String token;
    private final InetSocketAddress agent;
    private final ClusterClient client;

    public Checkpoints(String job, String token, InetSocketAddress agent, ClusterClient client) {
        this.job = Objects.requireNonNull(job, "job");
        this.token = Objects.requireNonNull(token, "token");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The checkpoints of the job this process runs as, from the environment its agent gave it and the installation's
     * plan and secret under {@code HOSTPUB_HOME}; empty when this process is not a cluster job.
     *
     * @throws IOException when it is a job but the plan or secret cannot be read
     */
    public static Optional<Checkpoints> fromEnvironment() throws IOException {
        return fromEnvironment(System.getenv());
    }

    static Optional<Checkpoints> fromEnvironment(Map<String, String> environment) throws IOException {
        String job = environment.get(JOB);
        String token = environment.get(TOKEN);
        String agent = environment.get(AGENT);
        String home = environment.get("HOSTPUB_HOME");
        if (job == null || token == null || agent == null || home == null) {
            return Optional.empty();
        }
        int colon = agent.lastIndexOf(':');
        if (colon < 1) {
            throw new IOException(AGENT + " is not host:port: " + agent);
        }
        Path homePath = Path.of(home);
        ClusterClient client = ClusterWire.of(ClusterPlan.load(homePath), InstallationSecret.load(homePath
                .resolve("conf").resolve("secret"))).client(Duration.ofSeconds(2));
        return Optional.of(new Checkpoints(job, token, new InetSocketAddress(agent.substring(0, colon),
                Integer.parseInt(agent.substring(colon + 1))), client));
    }

    /** The job this process runs as. */
    public String job() {
        return job;
    }

    /**
     * Keeps {@code data} as the job's latest checkpoint, durable in the cluster store when this returns.
     *
     * @throws ClusterRefusal 413 over {@link #MAX_BYTES}; 409 when this instance is stale (a newer one of the job was
     *                        started), with the reason
     * @throws IOException    when the agent cannot be reached
     */
    public Checkpoint save(byte[] data) throws IOException {
        if (data.length > MAX_BYTES) {
            throw new ClusterRefusal(413, "a checkpoint is at most " + MAX_BYTES + " bytes, not " + data.length);
        }
        return client.call(agent, ClusterRoutes.CHECKPOINT_SAVE, new CheckpointSave(job, token, data), TIMEOUT);
    }

    /** The job's latest checkpoint, saved by this or an earlier instance on any node; empty before the first. */
    public Optional<Checkpoint> latest() throws IOException {
        try {
            return Optional.of(client.call(agent, ClusterRoutes.CHECKPOINT_LATEST, new CheckpointQuery(job, token),
                    TIMEOUT));
        } catch (ClusterRefusal refusal) {
            if (refusal.status() == 404) {
                return Optional.empty();
            }
            throw refusal;
        }
    }
}
