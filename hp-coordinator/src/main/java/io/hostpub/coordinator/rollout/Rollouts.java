package io.hostpub.coordinator.rollout;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.Step;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StaleEpochException;
import io.hostpub.coordinator.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rollouts in the cluster store: scope {@value #SCOPE}, one key per application, its latest {@link Rollout}.
 * Every write takes the scope's fence, reads the record again and goes on only if its revision is the one the writer
 * started from: the operator's start and abort and the coordinator's steps are ordered by the store, none overwrites
 * another.
 */
public final class Rollouts {

    /** The store scope of the rollouts. */
    public static final String SCOPE = "operations/rollout";
    /** The label of an application's WAR as its plan names it, before any rollout. */
    public static final String PLAN_VERSION = "plan";
    /** How often an operator's write is decided again when a coordinator's step came between its read and put. */
    private static final int OPERATOR_ATTEMPTS = 5;

    private Rollouts() {
    }

    /** Every application's latest rollout, by application. */
    public static Map<String, Rollout> read(CoordinatorStore store) throws StoreException {
        Map<String, Rollout> rollouts = new TreeMap<>();
        for (byte[] value : store.list(SCOPE).values()) {
            Rollout rollout = Json.read(value, Rollout.class);
            rollouts.put(rollout.application(), rollout);
        }
        return rollouts;
    }

    public static Optional<Rollout> read(CoordinatorStore store, String application) throws StoreException {
        return store.get(SCOPE, application).map(bytes -> Json.read(bytes, Rollout.class));
    }

    /**
     * Starts a rollout of {@code to} over the application's members ({@code plan} is the plan in force).
     *
     * @throws ClusterRefusal 404 for an unknown application, 400 for one whose command deploys no WAR or a version it
     *                        already has, 409 while another rollout of it runs
     */
    public static Rollout start(CoordinatorStore store, ClusterPlan plan, String application, Version to,
            int maxUnavailable, int failureBudget, Duration stepTimeout, String by, Instant now)
            throws StoreException, ClusterRefusal {
        Application app = plan.applications().stream().filter(a -> a.name().equals(application)).findFirst()
                .orElseThrow(() -> new ClusterRefusal(404, "no application " + application + " in the plan in force;"
                        + " its applications are " + plan.applications().stream().map(Application::name).toList()));
        if (!app.deploysWar()) {
            throw new ClusterRefusal(400, "application " + application + "'s command deploys no WAR (it has no "
                    + Application.WAR + "): nothing to roll out");
        }
        return write(store, application, "operator " + by, last -> {
            refuseWhileRunning(last);
            Version from = last.map(r -> r.phase() == Phase.ROLLED_BACK ? r.from() : r.to())
                    .orElse(new Version(PLAN_VERSION, app.war(), null));
            if (from.label().equals(to.label())) {
                throw new ClusterRefusal(400, "application " + application + " runs version " + to.label()
                        + " already; give the new WAR a version of its own (--version)");
            }
            Map<String, Step> members = new LinkedHashMap<>();
            for (int i = 1; i <= app.count(); i++) {
                String member = LivePlan.jobName(app, i);
                String runs = last.map(r -> r.versionOf(member).label()).orElse(from.label());
                members.put(member, new Step(runs, StepState.WAITING, now));
            }
            return new Rollout(application, last.map(Rollout::revision).orElse(0L) + 1,
                    last.map(Rollout::number).orElse(0) + 1, from, to, maxUnavailable, failureBudget,
                    stepTimeout.toMillis(), Phase.ROLLING, members, 0, by, now, now, "started by " + by);
        });
    }

    /** Refuses (409) a new rollout while {@code last} runs; nothing to check when it is over or there is none. */
    public static void refuseWhileRunning(Optional<Rollout> last) throws ClusterRefusal {
        if (last.isPresent() && last.get().inProgress()) {
            Rollout running = last.get();
            throw new ClusterRefusal(409, "a rollout of " + running.application() + " to version "
                    + running.to().label() + " runs since " + running.startedAt() + " (by " + running.by() + "; "
                    + running.progress() + "): wait for it, or abort it with hpctl rollout " + running.application()
                    + " --abort");
        }
    }

    /**
     * Stops a running rollout and rolls every replaced member back (the coordinator does it, at the rollout's pace).
     *
     * @throws ClusterRefusal 404 when the application never had a rollout, 409 when its last one is over
     */
    public static Rollout abort(CoordinatorStore store, String application, String by, Instant now)
            throws StoreException, ClusterRefusal {
        return write(store, application, "operator " + by, last -> {
            Rollout rollout = last.orElseThrow(() -> new ClusterRefusal(404, "application " + application
                    + " has had no rollout"));
            if (rollout.phase() == Phase.ROLLING_BACK) {
                return rollout;
            }
            if (!rollout.inProgress()) {
                throw new ClusterRefusal(409, "the last rollout of " + application + " (version "
                        + rollout.to().label() + ") is over: " + rollout.phase() + "; to go back, roll out the"
                        + " previous WAR as a new version");
            }
            return RolloutStepper.rollBack(rollout, "aborted by " + by, now);
        });
    }

    /** What an operator makes of an application's latest rollout (itself: nothing to write). */
    private interface Change {
        Rollout apply(Optional<Rollout> last) throws ClusterRefusal;
    }

    /**
     * An operator's write: takes the fence, reads the latest record, decides, writes. The application's coordinator
     * steps the same record each cycle, so its own acquire may come between ours and our put; then the decision is
     * made again on the record it wrote, a bounded number of times.
     */
    private static Rollout write(CoordinatorStore store, String application, String holder, Change change)
            throws StoreException, ClusterRefusal {
        for (int attempt = 1; ; attempt++) {
            Fence fence = store.acquire(SCOPE, holder);
            Optional<Rollout> last = read(store, application);
            Rollout next = change.apply(last);
            if (last.isPresent() && next == last.get()) {
                return next;
            }
            try {
                store.put(fence, application, Json.write(next));
                return next;
            } catch (StaleEpochException raced) {
                if (attempt == OPERATOR_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    /**
     * Writes a coordinator's step, if the record is still the revision it stepped from.
     *
     * @param from the revision of the record that was stepped
     * @return false when someone wrote in between (the step is dropped; the next cycle steps the newer record)
     */
    static boolean save(CoordinatorStore store, Rollout stepped, long from, String holder) throws StoreException {
        Fence fence = store.acquire(SCOPE, holder);
        long stored = read(store, stepped.application()).map(Rollout::revision).orElse(-1L);
        if (stored != from) {
            return false;
        }
        try {
            store.put(fence, stepped.application(), Json.write(stepped));
            return true;
        } catch (StaleEpochException raced) {
            return false; // an operator (or a successor) wrote meanwhile: the next cycle steps what it wrote
        }
    }
}
