package io.hostpub.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failed logins make the next try wait, per address and user, doubling; a success or time clears it. */
class LoginThrottleTest {

    /** A clock the test moves. */
    static final class Hand extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override public Instant instant() {
            return now;
        }
    }

    final Hand clock = new Hand();
    final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void afterTheFreeFailuresEachTryWaitsTwiceAsLong() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.waitBefore("10.0.0.9", "admin")).isEmpty();
            throttle.failed("10.0.0.9", "admin");
        }
        assertThat(throttle.waitBefore("10.0.0.9", "admin")).contains(Duration.ofSeconds(1));
        clock.now = clock.now.plusSeconds(1);
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
        clock.now = clock.now.plus(LoginThrottle.FORGET_AFTER).plusSeconds(1);
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
