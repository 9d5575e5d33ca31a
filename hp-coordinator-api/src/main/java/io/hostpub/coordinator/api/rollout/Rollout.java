package io.hostpub.coordinator.api.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The latest rollout of one application's WAR: which version each member should run now, and how far the rollout got.
 * Kept in the cluster store (one key per application) and stepped by the application's local coordinator each active
 * cycle, so a coordinator that dies in the middle of it leaves its successor exactly this record to go on from. It
 * stays after the rollout ends: it says which version each member runs.
 *
 * <p>Members go {@code WAITING -> REPLACING -> DONE}, at most {@code maxUnavailable} of them unavailable at a time
 * (replacing, or down for any other reason). A member that does not come up healthy on the new version within
 * {@code stepTimeoutMs}, or whose new process dies, is {@code FAILED}: it goes back to the previous version and
 * counts against {@code failureBudget}; one failure more than the budget (or an abort) turns the rollout into a
 * rollback, which replaces every member running the new version with the previous one, at the same pace.
 *
 * @param revision  grows by one with each write (writers compare it after taking the fence: an abort placed while the
 *                  coordinator stepped is never overwritten)
 * @param number    the application's rollout count (1 for its first)
 * @param members   each member's step, by job name
 * @param failures  members that failed on the new version
 * @param message   what happened last, for the operator (why it rolls back, how it ended)
 */
public record Rollout(String application, long revision, int number, Version from, Version to, int maxUnavailable,
        int failureBudget, long stepTimeoutMs, Phase phase, Map<String, Step> members, int failures, String by,
        Instant startedAt, Instant updatedAt, String message) {

    /** Default time a member gets to come up healthy on the new version. */
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(120);

    public Rollout {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(phase, "phase");
        if (maxUnavailable < 1) {
            throw new IllegalArgumentException("max unavailable must be at least 1, got " + maxUnavailable);
        }
        if (failureBudget < 0) {
            throw new IllegalArgumentException("failure budget must be 0 or more, got " + failureBudget);
        }
        if (stepTimeoutMs < 1000 || stepTimeoutMs > 3_600_000) {
            throw new IllegalArgumentException("step timeout must be 1 s..1 h, got " + stepTimeoutMs + " ms");
        }
        members = java.util.Collections.unmodifiableMap(new TreeMap<>(members == null ? Map.of() : members));
        by = by == null ? "" : by;
        message = message == null ? "" : message;
    }

    /** Whether the coordinator still has work to do (replacing or rolling back). */
    public boolean inProgress() {
        return phase == Phase.ROLLING || phase == Phase.ROLLING_BACK;
    }

    /** The version {@code member} should run now: its step's, else (a member added later) the settled one. */
    public Version versionOf(String member) {
        Step step = members.get(member);
        String label = step != null ? step.version() : phase == Phase.COMPLETED ? to.label() : from.label();
        return label.equals(to.label()) ? to : from;
    }

    /** How many members are at each state: {@code 3 done, 1 replacing, 2 waiting}. */
    public String progress() {
        Map<StepState, Integer> counts = new TreeMap<>();
        members.values().forEach(step -> counts.merge(step.state(), 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        counts.forEach((state, count) -> out.append(out.isEmpty() ? "" : ", ").append(count).append(' ')
                .append(state.name().toLowerCase(java.util.Locale.ROOT)));
        return out.toString();
    }

    /** A copy with other members, phase, failures and message, one revision on, updated at {@code now}. */
    public Rollout next(Phase phase, Map<String, Step> members, int failures, String message, Instant now) {
        return new Rollout(application, revision + 1, number, from, to, maxUnavailable, failureBudget, stepTimeoutMs,
                phase, members, failures, by, startedAt, now, message);
    }

    /** Where a rollout is. */
    public enum Phase {
        /** members are being replaced by the new version */
        ROLLING,
        /** too many failed, or an operator aborted: members running the new version go back to the old one */
        ROLLING_BACK,
        /** every member was tried; those that did not fail run the new version */
        COMPLETED,
        /** every member runs the previous version again */
        ROLLED_BACK
    }

    /** Where one member is in the current phase. */
    public enum StepState {
        WAITING, REPLACING, DONE, FAILED
    }

    /**
     * One member's step.
     *
     * @param version the version it should run now (a WAITING member's is the one it runs)
     * @param since   when it entered this state
     */
    public record Step(String version, StepState state, Instant since) {
        public Step {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(since, "since");
        }
    }

    /**
     * One version of the application's WAR, named like Tomcat's parallel deployment ({@code app##0002.war}).
     *
     * @param label  the version ({@code 0002}, or the operator's own), letters, digits, '.', '_', '-'
     * @param war    where the rollout kept the WAR ({@code <home>/wars/APP/APP##LABEL.war} of the machine it ran on);
     *               every node runs its own copy at that place under its own home, fetched from a peer when missing
     * @param sha256 the WAR's SHA-256 (hex), null for the plan's own WAR
     */
    public record Version(String label, String war, String sha256) {
        private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

        public Version {
            checkLabel(label);
            Objects.requireNonNull(war, "war of version " + label);
        }

        /** A version's label: also a file name part, so nothing that could leave its directory. */
        public static void checkLabel(String label) {
            Objects.requireNonNull(label, "version label");
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("version '" + label + "' must be 1-40 letters, digits, '.', '_'"
                        + " or '-', starting with a letter or digit");
            }
        }
    }
}
