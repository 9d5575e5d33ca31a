package io.hostpub.coordinator.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The availability accounting of one logical job, look by look, on a clock the test moves. */
class JobAvailabilityTest {

    private static final Instant T0 = Instant.parse("2026-12-01T06:00:30Z");

    /** Looks once a second from {@code from} for {@code seconds}, all in one state. */
    private static JobAvailability look(JobAvailability a, int seconds, boolean up, long pid, boolean wanted) {
        JobAvailability now = a;
        for (int i = 1; i <= seconds; i++) {
            now = now.account(now.accountedAt().plusSeconds(1), up, pid, wanted);
        }
        return now;
    }

    @Test
    void upAndDownFollowTheLooksAndOutagesGiveMtbfAndMttr() {
        JobAvailability a = JobAvailability.startingAt(T0);
        a = look(a, 3, false, 0, true);     // starting: 3 s down
        a = look(a, 1, true, 100, true);    // the second before the first passed look still counts down
        a = look(a, 60, true, 100, true);   // up a minute
        a = look(a, 5, false, 0, true);     // an outage of 5 s (the first second of it still counted up)
        a = look(a, 60, true, 200, true);   // repaired by a new process
        assertThat(a.downMillis()).isEqualTo(4_000 + 5_000);
        assertThat(a.upMillis()).isEqualTo(60_000 + 60_000);
        assertThat(a.outages()).isEqualTo(1);
        assertThat(a.repairs()).isEqualTo(1);
        assertThat(a.restarts()).isEqualTo(1);
        assertThat(a.mtbfMillis()).isEqualTo(120_000);
        assertThat(a.mttrMillis()).isEqualTo(9_000);
        assertThat(a.availabilityPercent()).isCloseTo(100.0 * 120 / 129, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.lastHourAvailabilityPercent()).isEqualTo(a.availabilityPercent());
        // the checkpoint keeps all of it
        assertThat(Json.read(Json.write(a), JobAvailability.class)).isEqualTo(a);
    }

    @Test
    void aProcessReplacedBetweenTwoLooksIsAnOutageAndARestart() {
        JobAvailability a = look(JobAvailability.startingAt(T0), 2, true, 100, true);
        a = a.account(a.accountedAt().plusSeconds(1), true, 101, true);
        assertThat(a.outages()).isEqualTo(1);
        assertThat(a.repairs()).isEqualTo(1);
        assertThat(a.restarts()).isEqualTo(1);
    }

    @Test
    void heldTimeAndLongGapsAreNotCounted() {
        JobAvailability running = look(JobAvailability.startingAt(T0), 10, true, 100, true);
        JobAvailability a = look(running, 30, false, 0, false); // held stopped by an operator: planned, not counted
        assertThat(a.downMillis()).isEqualTo(running.downMillis());
        assertThat(a.upMillis()).isEqualTo(running.upMillis());
        assertThat(a.outages()).as("stopping a held job is no outage").isZero();
        JobAvailability gap = a.account(a.accountedAt().plus(Duration.ofMinutes(5)), false, 0, true);
        assertThat(gap.upMillis()).isEqualTo(a.upMillis());
        assertThat(gap.downMillis()).isEqualTo(a.downMillis());
    }

    @Test
    void theLastHourForgetsOlderMinutes() {
        JobAvailability a = look(JobAvailability.startingAt(T0), 600, false, 0, true); // 10 min down
        a = look(a, 3_600, true, 100, true);                                          // then an hour up
        assertThat(a.lastHourAvailabilityPercent()).isEqualTo(100.0);
        assertThat(a.availabilityPercent()).isLessThan(90.0);
        assertThat(a.lastHour()).hasSize(60);
        assertThat(a.lastHour().get(59)[0]).isPositive();
    }
}
