package io.hostpub.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Failed logins make the next try wait, per address and user, doubling; a success or time clears it. */
class LoginThrottleTest {

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void afterTheFreeFailuresEachTryWaitsTwiceAsLong() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.waitBefore("10.0.0.9", "admin")).isEmpty();
            throttle.failed("10.0.0.9", "admin");
        }
        assertThat(throttle.waitBefore("10.0.0.9", "admin")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        throttle.failed("10.0.0.9", "admin");
        assertThat(throttle.waitBefore("10.0.0.9", "admin")).contains(Duration.ofSeconds(2));
        assertThat(throttle.waitBefore("10.0.0.7", "admin")).as("another address is not locked out").isEmpty();
        assertThat(throttle.waitBefore("10.0.0.9", "other")).as("another user from there").isEmpty();

        throttle.succeeded("10.0.0.9", "admin");
        assertThat(throttle.waitBefore("10.0.0.9", "admin")).isEmpty();
    }

    @Test
    void theWaitIsCappedAndForgottenAfterAQuietSpell() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 40; i++) {
            throttle.failed("10.0.0.9", "admin");
        }
        assertThat(throttle.waitBefore("10.0.0.9", "admin")).contains(LoginThrottle.MAX_WAIT);
        clock.advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
        assertThat(throttle.waitBefore("10.0.0.9", "admin")).isEmpty();
    }

    @Test
    void sprayingManyUserNamesFromOneAddressIsThrottledToo() {
        for (int i = 0; i < LoginThrottle.FREE_SOURCE_FAILURES; i++) {
            throttle.failed("10.0.0.9", "user" + i);
        }
        assertThat(throttle.waitBefore("10.0.0.9", "someone-new")).isPresent();
        assertThat(throttle.waitBefore("10.0.0.8", "someone-new")).isEmpty();
    }
}
