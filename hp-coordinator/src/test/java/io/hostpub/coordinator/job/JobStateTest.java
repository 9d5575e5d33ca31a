package io.hostpub.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobStateTest {

    @Test
    void theSeedsLifeCycleIsLegalAndBackToIdleOnFailure() {
        JobState state = JobState.IDLE;
        for (JobState next : List.of(JobState.WANTRUN, JobState.STARTING, JobState.RUNNING, JobState.WANTSTOP,
                JobState.STOPPED, JobState.IDLE)) {
            state = state.checkMove(next);
        }
        for (JobState live : List.of(JobState.WANTRUN, JobState.STARTING, JobState.RUNNING, JobState.WANTSTOP)) {
            assertThat(live.canMoveTo(JobState.IDLE)).as(live + " -> IDLE on failure").isTrue();
        }
    }

    @Test
    void illegalTransitionsAreRejectedNamingBothStates() {
        assertThatThrownBy(() -> JobState.RUNNING.checkMove(JobState.STARTING))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(JobState.RUNNING);
                    assertThat(e.to()).isEqualTo(JobState.STARTING);
                }).hasMessageContaining("RUNNING -> STARTING");
        assertThat(JobState.IDLE.canMoveTo(JobState.RUNNING)).isFalse();
        assertThat(JobState.STOPPED.canMoveTo(JobState.WANTRUN)).isFalse();
    }

    @Test
    void restartBackoffDoublesUpToTheCapAndIntensityEndsRestarts() {
        RestartPolicy policy = new RestartPolicy(Duration.ofMillis(100), Duration.ofMillis(1000), 3,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ZERO);
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.backoff(64)).isEqualTo(Duration.ofMillis(1000));
        RestartHistory history = new RestartHistory(policy);
        Instant t = Instant.parse("2026-11-23T00:00:00Z");
        assertThat(history.onFailure(t, Duration.ofMillis(5))).contains(Duration.ZERO);
        assertThat(history.onFailure(t.plusSeconds(1), Duration.ofMillis(5))).contains(Duration.ofMillis(100));
        assertThat(history.onFailure(t.plusSeconds(2), Duration.ofMillis(5))).contains(Duration.ofMillis(200));
        assertThat(history.onFailure(t.plusSeconds(3), Duration.ofMillis(5))).isEmpty();
        // outside the period the window has room again; a long run resets the back-off
        assertThat(history.onFailure(t.plusSeconds(12), Duration.ofSeconds(60))).contains(Duration.ZERO);
    }

    @Test
    void jobSpecsAndPoliciesRejectBadValues() {
        assertThatThrownBy(() -> new JobSpec("noslash", List.of("x"), Map.of(), 0))
                .hasMessageContaining("application/member");
        assertThatThrownBy(() -> new JobSpec("a/b", List.of(), Map.of(), 0)).hasMessageContaining("empty command");
        assertThatThrownBy(() -> new JobSpec("a/b", List.of("x"), Map.of(), 70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1,
                Duration.ofSeconds(1), Duration.ZERO)).hasMessageContaining("back-off");
        assertThat(new JobSpec("web/clone-1", List.of("x"), Map.of(), 0).application()).isEqualTo("web");
        assertThat(new JobStatistics(750, 250, 1, 1).availabilityPercent()).isEqualTo(75.0);
        assertThat(Optional.of(JobStatistics.NONE.availabilityPercent())).contains(100.0);
    }
}
