package io.hostpub.coordinator.rollout;

import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.Step;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a rollout, decided from what the agents report: settles the members being replaced (healthy on the
 * target version: done; dead or not healthy in time: failed), turns into a rollback when failures exceed the budget,
 * starts replacing the next waiting members while fewer than {@code maxUnavailable} members are unavailable, and ends
 * the rollout when nothing waits or is being replaced. A pure function of the record, the reports and the time: the
 * coordinator that applies it may die between any two steps and its successor takes the next from the store.
 */
public final class RolloutStepper {

    /** The stepped rollout ({@code rollout} itself when nothing changed) and one line per change, for the log. */
    public record Stepped(Rollout rollout, List<String> events) {
    }

    private RolloutStepper() {
    }

    /**
     * @param members the application's member job names now (a live scale adds or removes some)
     * @param live    the one live report of each member that runs, by job name
     */
    public static Stepped step(Rollout rollout, List<String> members, Map<String, JobStatus> live, Instant now) {
        if (!rollout.inProgress()) {
            return new Stepped(rollout, List.of());
        }
        List<String> events = new ArrayList<>();
        Map<String, Step> steps = new LinkedHashMap<>();
        for (String member : members) {
            steps.put(member, rollout.members().getOrDefault(member,
                    new Step(rollout.versionOf(member).label(), StepState.WAITING, now)));
        }
        Phase phase = rollout.phase();
        int failures = rollout.failures();
        String message = rollout.message();
        String target = phase == Phase.ROLLING ? rollout.to().label() : rollout.from().label();
        for (Map.Entry<String, Step> entry : steps.entrySet()) {
            Step step = entry.getValue();
            if (step.state() != StepState.REPLACING) {
                continue;
            }
            JobStatus status = live.get(entry.getKey());
            boolean onTarget = status != null && target.equals(status.spec().version());
            if (onTarget && up(status)) {
                entry.setValue(new Step(target, StepState.DONE, now));
                events.add(entry.getKey() + " serves version " + target);
                continue;
            }
            String failed = onTarget && status.lastExit() != null ? "its process exited (" + status.lastExit() + ")"
                    : status != null && status.failedOut() ? "it failed out of node " + status.node()
                    : Duration.between(step.since(), now).toMillis() > rollout.stepTimeoutMs()
                    ? "not healthy on version " + target + " within " + rollout.stepTimeoutMs() / 1000 + " s" : null;
            if (failed != null) {
                entry.setValue(new Step(rollout.from().label(), StepState.FAILED, now));
                if (phase == Phase.ROLLING) {
                    failures++;
                }
                message = entry.getKey() + " failed: " + failed;
                events.add(message + (phase == Phase.ROLLING ? "; back to version " + rollout.from().label() : ""));
            }
        }
        if (phase == Phase.ROLLING && failures > rollout.failureBudget()) {
            message = failures + " member(s) failed on version " + rollout.to().label() + ", more than the failure"
                    + " budget of " + rollout.failureBudget() + " (last: " + message + ")";
            events.add(message + ": rolling back");
            Rollout back = rollBack(rollout.next(phase, steps, failures, message, now), message, now);
            return step(back, members, live, now);
        }
        int unavailable = 0;
        for (Map.Entry<String, Step> entry : steps.entrySet()) {
            if (entry.getValue().state() == StepState.REPLACING || !up(live.get(entry.getKey()))) {
                unavailable++;
            }
        }
        for (Map.Entry<String, Step> entry : steps.entrySet()) {
            Step step = entry.getValue();
            if (step.state() != StepState.WAITING) {
                continue;
            }
            if (step.version().equals(target)) {
                entry.setValue(new Step(target, StepState.DONE, now)); // runs it already (a rollback's untouched)
                continue;
            }
            boolean wasUp = up(live.get(entry.getKey()));
            if (wasUp && unavailable >= rollout.maxUnavailable()) {
                continue;
            }
            entry.setValue(new Step(target, StepState.REPLACING, now));
            events.add(entry.getKey() + " is being replaced by version " + target);
            unavailable += wasUp ? 1 : 0;
        }
        if (steps.values().stream().noneMatch(s -> s.state() == StepState.WAITING
                || s.state() == StepState.REPLACING)) {
            long failed = steps.values().stream().filter(s -> s.state() == StepState.FAILED).count();
            if (phase == Phase.ROLLING) {
                phase = Phase.COMPLETED;
                message = failed == 0 ? "every member serves version " + target : (steps.size() - failed) + " of "
                        + steps.size() + " member(s) serve version " + target + "; " + failed + " failed and run"
                        + " version " + rollout.from().label() + " (within the failure budget of "
                        + rollout.failureBudget() + ")";
            } else {
                phase = Phase.ROLLED_BACK;
                message = "rolled back to version " + target + ": " + message
                        + (failed == 0 ? "" : "; " + failed + " member(s) did not come up on it: their agents keep"
                        + " restarting them");
            }
            events.add(message);
        }
        if (phase == rollout.phase() && failures == rollout.failures() && steps.equals(rollout.members())) {
            return new Stepped(rollout, List.of());
        }
        return new Stepped(rollout.next(phase, steps, failures, message, now), events);
    }

    /**
     * The rollout turned into a rollback: members being replaced go back to the previous version at once (they are
     * unavailable anyway), members serving the new version wait to be replaced by the previous one, the others are
     * done.
     */
    static Rollout rollBack(Rollout rollout, String why, Instant now) {
        Map<String, Step> steps = new LinkedHashMap<>();
        String to = rollout.to().label();
        String from = rollout.from().label();
        rollout.members().forEach((member, step) -> steps.put(member,
                step.state() == StepState.REPLACING ? new Step(from, StepState.REPLACING, now)
                : step.version().equals(to) ? new Step(to, StepState.WAITING, now)
                : new Step(from, StepState.DONE, now)));
        return rollout.next(Phase.ROLLING_BACK, steps, rollout.failures(), why, now);
    }

    /** Serving: running, healthy, not failed out. */
    static boolean up(JobStatus status) {
        return status != null && !status.failedOut() && status.state() == JobState.RUNNING
                && Boolean.TRUE.equals(status.healthy());
    }
}
