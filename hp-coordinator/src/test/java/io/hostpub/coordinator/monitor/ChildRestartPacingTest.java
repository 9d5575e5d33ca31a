package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.plan.Launcher;
import io.hostpub.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a coordinator restarts a dead agent and when it gives the agent's node up (its jobs move). A CI run killed every
 * agent at once on a loaded host: a restarted agent took ten seconds to answer, its node was given up after the fixed
 * ten seconds, its job placed on another node, and the agent then adopted the old job beside the new one.
 */
class ChildRestartPacingTest {

    static final Duration GRACE = Duration.ofSeconds(5);
    static final Instant T0 = Instant.parse("2026-12-02T03:06:41Z");

    @TempDir
    Path home;

    private static ChildTrack deadAgent() {
        ChildTrack agent = new ChildTrack("n3", true, T0);
        agent.missed(true, false, Duration.ofSeconds(10), T0);
        assertThat(agent.state).isEqualTo(ChildState.DOWN);
        return agent;
    }

    @Test
    void aNodeIsNotGivenUpWhileItsSecondAgentStartHasTimeLeft() {
        ChildTrack agent = deadAgent();
        agent.launched(T0, GRACE);
        assertThat(agent.givenUp(GRACE, T0.plusSeconds(5))).as("within twice the grace").isFalse();
        agent.launched(T0.plusSeconds(5), GRACE.multipliedBy(2));
        assertThat(agent.givenUp(GRACE, T0.plusMillis(10_500)))
                .as("the fixed ten seconds are over, but the second start may still answer").isFalse();
        assertThat(agent.givenUp(GRACE, T0.plusSeconds(15))).isTrue();
        agent.launched(T0.plusSeconds(15), GRACE.multipliedBy(4));
        assertThat(agent.givenUp(GRACE, T0.plusSeconds(16))).as("a third start does not take the node back").isTrue();
    }

    @Test
    void anAgentThatAnswersIsNoLongerGivenUpAndStartsAfreshNextTime() {
        ChildTrack agent = deadAgent();
        agent.launched(T0, GRACE);
        agent.launched(T0.plusSeconds(5), GRACE.multipliedBy(2));
        agent.answered(new ChildTrack.Answer("i2", 42, null, List.of()), T0.plusSeconds(20));
        assertThat(agent.givenUp(GRACE, T0.plusSeconds(20))).isFalse();
        assertThat(agent.unansweredLaunches).isZero();
        assertThat(agent.launchPending(T0.plusSeconds(20))).isFalse();
    }

    @Test
    void whereNoAgentCouldBeStartedTheNodeIsGivenUpAfterTwiceTheGrace() {
        ChildTrack agent = deadAgent();
        assertThat(agent.givenUp(GRACE, T0.plusSeconds(10))).isFalse();
        assertThat(agent.givenUp(GRACE, T0.plusMillis(10_001))).isTrue();
    }

    @Test
    void eachStartThatNeverAnsweredDoublesTheWaitBeforeTheNext() {
        // a real launcher command that starts and ends at once, as an agent that never comes up
        ClusterPlan plan = new ClusterPlan(100, 1, 2, null, List.of(new ClusterPlan.Node("n3", "127.0.0.1")),
                List.of(new ClusterPlan.MonitorPosition("local/l1", List.of("n3"), List.of("n3"))), List.of(),
                List.of("true"), null);
        MovableClock clock = new MovableClock(T0);
        ChildRestarter restarter = new ChildRestarter("local/l1", plan, new Launcher(plan, home), clock, new Random(1));
        ChildTrack agent = deadAgent();
        Map<String, ChildTrack> children = Map.of("n3", agent);
        int[] startsAt = {0, 1, 4, 5, 14, 15, 34, 35, 74, 75, 114, 115};
        int[] expected = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6};
        for (int i = 0; i < startsAt.length; i++) {
            clock.set(T0.plusSeconds(startsAt[i]));
            restarter.restartDead(children, java.util.List.of());
            assertThat(agent.unansweredLaunches).as("starts by %d s", startsAt[i]).isEqualTo(expected[i]);
        }
    }
}
