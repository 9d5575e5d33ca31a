package io.hostpub.coordinator.plan;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan in force: this process's {@code cluster.json} with the applications and nodes of the latest
 * {@link PlanRevision}
 * in the store. {@link #current()} reads the revision (one store read) and keeps the last plan it built, so a
 * coordinator asks every cycle at the cost of a read; a store that cannot be read leaves the last plan in force.
 * {@link #apply} is the one way a revision is written: fenced, checked against the version the operator saw.
 */
public final class LivePlan {

    static final String SCOPE = "operations/plan";
    static final String KEY = "current";
    /** How long a plan read from the store is current enough. */
    static final long FRESH_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private static final System.Logger LOG = System.getLogger(LivePlan.class.getName());

    private final ClusterPlan file;
    private final CoordinatorStore store;
    private volatile long version = -1;
    private volatile ClusterPlan current;
    private volatile long readAtNanos;

    public LivePlan(ClusterPlan file, CoordinatorStore store) {
        this.file = file;
        this.store = store;
        this.current = file;
        this.readAtNanos = System.nanoTime() - FRESH_NANOS; // the first call reads
    }

    /**
     * The plan in force now (the last known one while the store cannot be read). Read again at most every
     * {@link #FRESH_NANOS}: the parts of one coordinator cycle ask it many times, and on a slow network every store
     * read costs a round trip.
     */
    public ClusterPlan current() {
        long now = System.nanoTime();
        if (now - readAtNanos < FRESH_NANOS) {
            return current;
        }
        readAtNanos = now;
        try {
            Optional<PlanRevision> revision = revision(store);
            long seen = revision.map(PlanRevision::version).orElse(0L);
            if (seen != version) {
                current = revision.map(r -> inForce(file, r)).orElse(file);
                if (version >= 0) {
                    LOG.log(Level.INFO, "plan version {0} in force: {1} node(s), {2} application(s)", seen,
                            current.nodes().size(), current.applications().size());
                }
                version = seen;
            }
        } catch (StoreException e) {
            // keep the last plan: a store outage changes nothing
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the plan revision in the store does not fit this plan file; keeping the plan in"
                    + " force: {0}", e.getMessage());
        }
        return current;
    }

    /** The version of {@link #current()}'s plan as last read (0: the file's). */
    public long version() {
        return Math.max(0, version);
    }

    /** The latest revision in the store, if the plan was ever changed live. */
    public static Optional<PlanRevision> revision(CoordinatorStore store) throws StoreException {
        return store.get(SCOPE, KEY).map(bytes -> Json.read(bytes, PlanRevision.class));
    }

    /**
     * The file's plan with what was applied live (nodes, applications): a process started after a change, such as
     * the agent of a node added live, knows it. The file's when the store cannot be read now (the process reads it
     * again each cycle and reports the store's trouble itself).
     */
    public static ClusterPlan inForceOrFile(CoordinatorStore store, ClusterPlan file) {
        try {
            return inForce(store, file);
        } catch (StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "the plan in force could not be read ({0}): starting with the plan file",
                    e.toString());
            return file;
        }
    }

    /** The plan in force now, read from the store (the file's when nothing was applied live). */
    public static ClusterPlan inForce(CoordinatorStore store, ClusterPlan file) throws StoreException {
        return revision(store).map(r -> inForce(file, r)).orElse(file);
    }

    /**
     * Makes {@code next}'s applications and nodes the plan in force, as version (current + 1).
     *
     * @param base     this process's plan file (the parts that do not change live)
     * @param expected the version the operator's change was made from (null: whatever is in force)
     * @return the revision written; the same version when nothing changed
     * @throws ClusterRefusal 409 when {@code expected} is not the version in force (a stale change) or a node to
     *                        remove still holds jobs, 400 when {@code next} changes what cannot change live; nothing
     *                        is written then
     */
    public static PlanRevision apply(CoordinatorStore store, ClusterPlan base, ClusterPlan next, Long expected,
            String by, Instant now) throws StoreException, ClusterRefusal {
        Fence fence = store.acquire(SCOPE, "operator " + by);
        Optional<PlanRevision> current = revision(store);
        long version = current.map(PlanRevision::version).orElse(0L);
        if (expected != null && expected != version) {
            throw new ClusterRefusal(409, "the plan changed since version " + expected + ": version " + version
                    + " is in force" + current.map(r -> " (applied " + r.at() + " by " + r.by() + ")").orElse("")
                    + "; nothing changed: look at it (hpctl cluster) and make the change again");
        }
        ClusterPlan from = current.map(r -> inForce(base, r)).orElse(base);
        Optional<String> notLive = PlanChange.notLive(from, next);
        if (notLive.isPresent()) {
            throw new ClusterRefusal(400, notLive.get());
        }
        for (String node : PlanChange.removedNodes(from, next)) {
            List<String> jobs = JobRecord.read(store, node, (key, why) -> { }).stream()
                    .map(r -> r.spec().name()).toList();
            if (!jobs.isEmpty()) {
                throw new ClusterRefusal(409, "node " + node + " still holds job(s) " + jobs + ": drain it first"
                        + " (its jobs move to the other nodes), then apply; hpctl cluster apply does both; nothing"
                        + " changed");
            }
        }
        if (from.applications().equals(next.applications()) && from.nodes().equals(next.nodes())
                && from.monitors().equals(next.monitors())) {
            return current.orElse(new PlanRevision(0, now, "", from.applications()));
        }
        PlanRevision revision = new PlanRevision(version + 1, now, by, next.applications(), next.nodes(),
                next.monitors());
        store.put(fence, KEY, Json.write(revision));
        return revision;
    }

    /** The name of {@code app}'s member {@code member} (1-based): {@code app/clone-3}. */
    public static String jobName(Application app, int member) {
        return app.name() + "/" + app.member() + "-" + member;
    }

    /** Every job {@code plan}'s applications want. */
    public static List<String> jobNames(ClusterPlan plan) {
        List<String> names = new ArrayList<>();
        for (Application app : plan.applications()) {
            for (int i = 1; i <= app.count(); i++) {
                names.add(jobName(app, i));
            }
        }
        return names;
    }

    /** {@code file} with the revision's applications, nodes and monitors (the file's where it has none). */
    static ClusterPlan inForce(ClusterPlan file, PlanRevision revision) {
        return new ClusterPlan(file.pollIntervalMs(), file.agentPort(), file.monitorPort(), file.store(),
                revision.nodes() == null ? file.nodes() : revision.nodes(),
                revision.monitors() == null ? file.monitors() : revision.monitors(), revision.applications(),
                file.launcher(), file.tls());
    }
}
