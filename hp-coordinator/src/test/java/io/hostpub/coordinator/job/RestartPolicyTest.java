package io.hostpub.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

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
    void policiesRejectBadValues() {
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1,
                Duration.ofSeconds(1), Duration.ZERO)).hasMessageContaining("back-off");
    }
}
