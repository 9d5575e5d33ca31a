package io.hostpub.coordinator.rollout;

import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import io.hostpub.coordinator.plan.LivePlan;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A local coordinator's side of the rollouts: each active cycle it reads them from the store (the last ones read stay
 * in force while the store cannot be read), steps those of its own applications that are in progress and writes each
 * step back, logging one line per change. The versions it answers make the jobs' commands.
 */
public final class RolloutKeeper {

    private static final System.Logger LOG = System.getLogger(RolloutKeeper.class.getName());

    private final String position;
    private final CoordinatorStore store;
    private final Clock clock;
    private volatile Map<String, Rollout> rollouts = Map.of();

    public RolloutKeeper(String position, CoordinatorStore store, Clock clock) {
        this.position = position;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Reads the rollouts and steps those of {@code applications} in progress.
     *
     * @param live the one live report of each running job, by job name
     */
    public void cycle(List<Application> applications, Map<String, JobStatus> live) {
        Map<String, Rollout> read;
        try {
            read = new TreeMap<>(Rollouts.read(store));
        } catch (StoreException e) {
            return; // the last rollouts read stay in force: a store outage changes no version
        }
        for (Application app : applications) {
            Rollout rollout = read.get(app.name());
            if (rollout == null || !rollout.inProgress()) {
                continue;
            }
            List<String> members = new ArrayList<>();
            for (int i = 1; i <= app.count(); i++) {
                members.add(LivePlan.jobName(app, i));
            }
            RolloutStepper.Stepped stepped = RolloutStepper.step(rollout, members, live, clock.instant());
            if (stepped.rollout() == rollout) {
                continue;
            }
            try {
                if (Rollouts.save(store, stepped.rollout(), rollout.revision(), "monitor " + position)) {
                    read.put(app.name(), stepped.rollout());
                    stepped.events().forEach(event -> LOG.log(Level.INFO, "monitor {0}: rollout of {1} to version"
                            + " {2}: {3}", position, app.name(), rollout.to().label(), event));
                }
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "monitor {0}: rollout of {1}: cannot write its step: {2}", position,
                        app.name(), e.getMessage());
            }
        }
        rollouts = Map.copyOf(read);
    }

    /** The version {@code member} of {@code app} should run: its rollout's, else the plan's WAR; empty if none. */
    public Optional<Version> version(Application app, String member) {
        if (!app.deploysWar()) {
            return Optional.empty();
        }
        Rollout rollout = rollouts.get(app.name());
        return Optional.of(rollout == null ? new Version(Rollouts.PLAN_VERSION, app.war(), null)
                : rollout.versionOf(member));
    }

    /**
     * Whether a running {@code member} whose command differs from the wanted one may be replaced now: during a
     * rollout only when the rollout says so; otherwise the caller paces it.
     */
    public Optional<Boolean> replaceable(String application, String member) {
        Rollout rollout = rollouts.get(application);
        if (rollout == null || !rollout.inProgress()) {
            return Optional.empty();
        }
        Rollout.Step step = rollout.members().get(member);
        return Optional.of(step != null && step.state() == StepState.REPLACING);
    }
}
