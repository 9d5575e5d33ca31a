package io.hostpub.coordinator.plan;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The plan in force: this process's {@code cluster.json} with the applications of the latest {@link PlanRevision}
 * in the store. {@link #current()} reads the revision (one store read) and keeps the last plan it built, so a
 * coordinator asks every cycle at the cost of a read; a store that cannot be read leaves the last plan in force.
 * {@link #apply} is the one way a revision is written: fenced, checked against the version the operator saw.
 */
public final class LivePlan {

    static final String SCOPE = "operations/plan";
    static final String KEY = "current";
    private static final System.Logger LOG = System.getLogger(LivePlan.class.getName());

    private final ClusterPlan file;
    private final CoordinatorStore store;
    private volatile long version = -1;
    private volatile ClusterPlan current;

    public LivePlan(ClusterPlan file, CoordinatorStore store) {
        this.file = file;
        this.store = store;
        this.current = file;
    }

    /** The plan in force now (the last known one while the store cannot be read). */
    public ClusterPlan current() {
        try {
            Optional<PlanRevision> revision = revision(store);
            long seen = revision.map(PlanRevision::version).orElse(0L);
            if (seen != version) {
                current = revision.map(r -> withApplications(file, r.applications())).orElse(file);
                if (version >= 0) {
                    LOG.log(Level.INFO, "plan version {0} in force: {1} application(s)", seen,
                            current.applications().size());
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
     * Makes {@code next}'s applications the plan in force, as version (current + 1).
     *
     * @param base    this process's plan file (the parts that do not change live)
     * @param expected the version the operator's change was made from (null: whatever is in force)
     * @return the revision written; the same version when nothing changed
     * @throws ClusterRefusal 409 when {@code expected} is not the version in force (a stale change), 400 when
     *                        {@code next} changes more than the applications; nothing is written then
     */
    public static PlanRevision apply(CoordinatorStore store, ClusterPlan base, ClusterPlan next, Long expected,
            String by, Instant now) throws StoreException, ClusterRefusal {
        Optional<String> notLive = notLive(base, next);
        if (notLive.isPresent()) {
            throw new ClusterRefusal(400, notLive.get());
        }
        Fence fence = store.acquire(SCOPE, "operator " + by);
        Optional<PlanRevision> current = revision(store);
        long version = current.map(PlanRevision::version).orElse(0L);
        if (expected != null && expected != version) {
            throw new ClusterRefusal(409, "the plan changed since version " + expected + ": version " + version
                    + " is in force" + current.map(r -> " (applied " + r.at() + " by " + r.by() + ")").orElse("")
                    + "; nothing changed: look at it (hpctl cluster) and make the change again");
        }
        List<Application> from = current.map(PlanRevision::applications).orElse(base.applications());
        if (from.equals(next.applications())) {
            return current.orElse(new PlanRevision(0, now, "", from));
        }
        PlanRevision revision = new PlanRevision(version + 1, now, by, next.applications());
        store.put(fence, KEY, Json.write(revision));
        return revision;
    }

    /** Why {@code next} cannot be applied live over {@code base}: it changes more than the applications. */
    static Optional<String> notLive(ClusterPlan base, ClusterPlan next) {
        List<String> changed = new ArrayList<>();
        compare(changed, "pollIntervalMs", base.pollIntervalMs(), next.pollIntervalMs());
        compare(changed, "agentPort", base.agentPort(), next.agentPort());
        compare(changed, "monitorPort", base.monitorPort(), next.monitorPort());
        compare(changed, "store", base.store(), next.store());
        compare(changed, "nodes", base.nodes(), next.nodes());
        compare(changed, "monitors", base.monitors(), next.monitors());
        compare(changed, "launcher", base.launcher(), next.launcher());
        compare(changed, "tls", base.tls() == null, next.tls() == null);
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("only the applications change live; this plan also changes " + String.join(", ", changed)
                + ", which every agent and coordinator reads at start: hpctl cluster shutdown, put the plan in"
                + " conf/cluster.json on every machine, hpctl cluster start");
    }

    private static void compare(List<String> changed, String key, Object base, Object next) {
        if (!Objects.equals(base, next)) {
            changed.add(key);
        }
    }

    /** What changes from {@code from}'s applications to {@code to}'s, one line each ({@code +}, {@code -}, {@code ~}). */
    public static List<String> diff(List<Application> from, List<Application> to) {
        Map<String, Application> before = from.stream().collect(Collectors.toMap(Application::name,
                Function.identity()));
        Map<String, Application> after = to.stream().collect(Collectors.toMap(Application::name, Function.identity()));
        List<String> lines = new ArrayList<>();
        for (Application a : to) {
            Application old = before.get(a.name());
            if (old == null) {
                lines.add("+ application " + a.name() + ": " + a.count() + " job(s) under " + a.monitor());
            } else if (!old.equals(a)) {
                lines.add("~ application " + a.name() + (old.count() != a.count() ? ": count " + old.count() + " -> "
                        + a.count() : "") + (sameButCount(old, a) ? "" : " (command, ports, placement or health"
                        + " changed: running jobs are replaced one at a time, each once the others serve)"));
            }
        }
        for (Application a : from) {
            if (!after.containsKey(a.name())) {
                lines.add("- application " + a.name() + ": its " + a.count() + " job(s) stop");
            }
        }
        return lines;
    }

    private static boolean sameButCount(Application a, Application b) {
        return a.withCount(b.count()).equals(b);
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

    /** {@code plan} with {@code applications} instead of its own. */
    static ClusterPlan withApplications(ClusterPlan plan, List<Application> applications) {
        return new ClusterPlan(plan.pollIntervalMs(), plan.agentPort(), plan.monitorPort(), plan.store(),
                plan.nodes(), plan.monitors(), applications, plan.launcher(), plan.tls());
    }
}
