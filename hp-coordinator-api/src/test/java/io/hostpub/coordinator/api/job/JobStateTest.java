package io.hostpub.coordinator.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void jobSpecsRejectBadValues() {
        assertThatThrownBy(() -> new JobSpec("noslash", List.of("x"), Map.of(), 0))
                .hasMessageContaining("application/member");
        assertThatThrownBy(() -> new JobSpec("a/b", List.of(), Map.of(), 0)).hasMessageContaining("empty command");
        assertThatThrownBy(() -> new JobSpec("a/b", List.of("x"), Map.of(), 70000)).hasMessageContaining("port");
        assertThat(new JobSpec("web/clone-1", List.of("x"), Map.of(), 0).application()).isEqualTo("web");
        assertThat(new JobStatistics(750, 250, 1, 1).availabilityPercent()).isEqualTo(75.0);
        assertThat(Optional.of(JobStatistics.NONE.availabilityPercent())).contains(100.0);
    }
}
