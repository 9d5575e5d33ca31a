package io.hostpub.runtime.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.runtime.events.EventLog;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The grant gate of a new supervisor: the reclaim window, then the previous roster's live members. */
class GrantGateTest {

    static final long OWN = 100;

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final EventLog events = new EventLog("gate", Clock.systemUTC());
    final Set<Long> alive = ConcurrentHashMap.newKeySet();
    final List<String> decisions = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    private GrantGate gate(long[] roster, long reclaimMs, long rosterWaitMs) {
        return new GrantGate(events, scheduler, OWN, roster, reclaimMs, rosterWaitMs, alive::contains);
    }

    private List<String> log() {
        return events.newest(EventLog.CAPACITY).stream().map(EventInfo::message).toList();
    }

    @Test
    void withoutAWindowOrARosterTheGateIsOpenAtOnceAndDecisionsRunInline() {
        GrantGate gate = gate(new long[0], 0, 30_000);
        assertThat(gate.state()).isEqualTo(GrantGate.State.OPEN);
        gate.whenOpen(() -> decisions.add("now"));
        assertThat(decisions).containsExactly("now");
        assertThat(log()).isEmpty();
    }

    @Test
    void decisionsWaitForTheWindowThenRunInOrder() {
        GrantGate gate = gate(new long[0], 300, 30_000);
        gate.whenOpen(() -> decisions.add("a"));
        gate.whenOpen(() -> decisions.add("b"));
        assertThat(gate.state()).isEqualTo(GrantGate.State.RECLAIMING);
        assertThat(decisions).isEmpty();
        await().until(() -> decisions.size() == 2);
        assertThat(decisions).containsExactly("a", "b");
        assertThat(gate.state()).isEqualTo(GrantGate.State.OPEN);
    }

    @Test
    void aLiveMemberThatHasNotReAnnouncedHoldsGrantsUntilItDoes() {
        alive.addAll(List.of(OWN, 7L, 8L));
        // 9 is dead, OWN is this supervisor itself: neither is waited for
        GrantGate gate = gate(new long[] {OWN, 7, 8, 9}, 100, 30_000);
        assertThat(gate.outstanding()).containsExactly(7, 8);
        gate.announced(7);
        gate.whenOpen(() -> decisions.add("grant"));
        await().until(() -> gate.state() == GrantGate.State.WAITING);
        assertThat(log()).anyMatch(l -> l.contains("holding grants") && l.contains("pid [8]"));
        assertThat(decisions).isEmpty();
        gate.announced(8);
        await().until(() -> decisions.size() == 1);
        assertThat(gate.state()).isEqualTo(GrantGate.State.OPEN);
        assertThat(log()).anyMatch(l -> l.contains("every live member of the previous roster has re-announced"));
    }

    @Test
    void aMemberWhoseProcessExitsIsNoLongerWaitedFor() {
        alive.add(7L);
        GrantGate gate = gate(new long[] {7}, 50, 30_000);
        gate.whenOpen(() -> decisions.add("grant"));
        await().until(() -> gate.state() == GrantGate.State.WAITING);
        alive.remove(7L);
        await().until(() -> decisions.size() == 1);
    }

    @Test
    void aRosterHandedOnDuringTheWindowIsWaitedForButNotOneAfterTheGateOpened() {
        alive.addAll(List.of(7L, 8L));
        GrantGate gate = gate(new long[0], 200, 30_000);
        assertThat(gate.learn(new long[] {7})).isTrue();
        assertThat(gate.learn(new long[] {7})).isFalse();
        gate.announced(8);
        assertThat(gate.learn(new long[] {8})).as("8 already re-announced").isFalse();
        gate.whenOpen(() -> decisions.add("grant"));
        await().until(() -> gate.state() == GrantGate.State.WAITING);
        gate.announced(7);
        await().until(() -> decisions.size() == 1);
        alive.add(11L);
        assertThat(gate.learn(new long[] {11})).isFalse();
        assertThat(gate.outstanding()).isEmpty();
    }

    @Test
    void theRosterWaitIsBoundedAndEndsWithAWarningNamingThePid() {
        alive.add(7L);
        GrantGate gate = gate(new long[] {7}, 50, 300);
        gate.whenOpen(() -> decisions.add("grant"));
        await().until(() -> decisions.size() == 1);
        assertThat(gate.outstanding()).isEmpty();
        assertThat(log()).anyMatch(l -> l.contains("never re-announced") && l.contains("pid [7]")
                && l.contains("licenseRosterWaitMs"));
    }

    @Test
    void closingRunsTheDeferredDecisionsSoTheirRequestersFailAtOnce() {
        GrantGate gate = gate(new long[0], 60_000, 0);
        gate.whenOpen(() -> decisions.add("deferred"));
        gate.close();
        assertThat(decisions).containsExactly("deferred");
        gate.whenOpen(() -> decisions.add("after close"));
        assertThat(decisions).containsExactly("deferred", "after close");
        assertThat(gate.state()).isEqualTo(GrantGate.State.CLOSED);
    }
}
