package io.hostpub.coordinator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.Step;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rollout's decisions, from the record, the agents' reports and the time (the process tests: RolloutTest). */
class RolloutStepperTest {

    private static final List<String> MEMBERS = List.of("web/job-1", "web/job-2", "web/job-3", "web/job-4");
    private static final Version OLD = new Version("0001", "/wars/web##0001.war", "aa");
    private static final Version NEW = new Version("0002", "/wars/web##0002.war", "bb");
    private final Instant t0 = Instant.parse("2026-12-02T10:00:00Z");

    private Rollout rollout(int maxUnavailable, int budget) {
        Map<String, Step> members = new LinkedHashMap<>();
        MEMBERS.forEach(m -> members.put(m, new Step(OLD.label(), StepState.WAITING, t0)));
        return new Rollout("web", 1, 2, OLD, NEW, maxUnavailable, budget, 10_000, Phase.ROLLING, members, 0, "op",
                t0, t0, "");
    }

    private static JobStatus job(String name, String version, boolean healthy, Integer lastExit) {
        return new JobStatus(new JobSpec(name, List.of("run"), Map.of(), 0, null, version), "n1", JobState.RUNNING,
                42, Instant.EPOCH, false, lastExit, JobStatistics.NONE, healthy, null);
    }

    private static Map<String, JobStatus> all(String version) {
        Map<String, JobStatus> live = new HashMap<>();
        MEMBERS.forEach(m -> live.put(m, job(m, version, true, null)));
        return live;
    }

    private static long count(Rollout rollout, StepState state) {
        return rollout.members().values().stream().filter(s -> s.state() == state).count();
    }

    @Test
    void replacesAtMostMaxUnavailableAtATimeAndCompletesWhenEachServesTheNewVersion() {
        Map<String, JobStatus> live = all("0001");
        Rollout r = RolloutStepper.step(rollout(2, 0), MEMBERS, live, t0.plusSeconds(1)).rollout();
        assertThat(count(r, StepState.REPLACING)).isEqualTo(2);
        assertThat(r.versionOf("web/job-1")).isEqualTo(NEW);
        assertThat(r.versionOf("web/job-3")).isEqualTo(OLD);

        // nothing reported yet on the new version: nothing moves
        assertThat(RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(2)).rollout()).isSameAs(r);

        // a member down for another reason counts as unavailable: job-3 waits while job-4 is down
        live.put("web/job-1", job("web/job-1", "0002", true, null));
        live.remove("web/job-4");
        Rollout next = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(3)).rollout();
        assertThat(next.members().get("web/job-1").state()).isEqualTo(StepState.DONE);
        assertThat(next.members().get("web/job-3").state()).isEqualTo(StepState.WAITING);
        // ... but a waiting member that is down anyway is replaced at once, it costs nothing
        assertThat(next.members().get("web/job-4").state()).isEqualTo(StepState.REPLACING);

        Map<String, JobStatus> done = all("0002");
        Rollout last = next;
        for (int i = 0; i < 4; i++) {
            last = RolloutStepper.step(last, MEMBERS, done, t0.plusSeconds(4 + i)).rollout();
        }
        assertThat(last.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(count(last, StepState.DONE)).isEqualTo(4);
        assertThat(last.message()).isEqualTo("every member serves version 0002");
        assertThat(last.revision()).isGreaterThan(next.revision());
    }

    @Test
    void aFailureOverTheBudgetRollsEveryReplacedMemberBack() {
        Map<String, JobStatus> live = all("0001");
        Rollout r = RolloutStepper.step(rollout(1, 1), MEMBERS, live, t0).rollout();
        live.put("web/job-1", job("web/job-1", "0002", false, 3)); // died on the new version
        r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(1)).rollout();
        assertThat(r.failures()).isEqualTo(1);
        assertThat(r.members().get("web/job-1")).extracting(Step::state, Step::version)
                .containsExactly(StepState.FAILED, "0001");
        assertThat(r.phase()).isEqualTo(Phase.ROLLING); // within the budget of 1
        // job-1 is down until it serves the old version again: with 1 unavailable allowed, job-2 waits for it
        assertThat(r.members().get("web/job-2").state()).isEqualTo(StepState.WAITING);
        live.put("web/job-1", job("web/job-1", "0001", true, null));
        r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(2)).rollout();
        assertThat(r.members().get("web/job-2").state()).isEqualTo(StepState.REPLACING);

        live.put("web/job-2", job("web/job-2", "0002", true, null));
        r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(3)).rollout();
        assertThat(r.members().get("web/job-2").state()).isEqualTo(StepState.DONE);
        assertThat(r.members().get("web/job-3").state()).isEqualTo(StepState.REPLACING);

        // job-3 never gets healthy: the step timeout fails it, 2 > budget 1: roll back
        live.put("web/job-3", job("web/job-3", "0002", false, null));
        r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(14)).rollout();
        assertThat(r.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(r.message()).contains("2 member(s) failed", "budget of 1", "not healthy on version 0002 within 10 s");
        assertThat(r.members().get("web/job-3")).extracting(Step::state, Step::version)
                .containsExactly(StepState.DONE, "0001");
        assertThat(r.members().get("web/job-4").state()).isEqualTo(StepState.DONE); // never touched
        // job-2 serves 0002 and waits for its turn while job-3 is down
        assertThat(r.members().get("web/job-2")).extracting(Step::state, Step::version)
                .containsExactly(StepState.WAITING, "0002");
        live.put("web/job-3", job("web/job-3", "0001", true, null));
        r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(15)).rollout();
        assertThat(r.members().get("web/job-2")).extracting(Step::state, Step::version)
                .containsExactly(StepState.REPLACING, "0001");

        live.put("web/job-2", job("web/job-2", "0001", true, null));
        for (int i = 0; i < 3; i++) {
            r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(16 + i)).rollout();
        }
        assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
        Rollout rolledBack = r;
        assertThat(MEMBERS).allSatisfy(m -> assertThat(rolledBack.versionOf(m)).isEqualTo(OLD));
    }

    @Test
    void anAbortRollsBackAtTheRolloutsPaceAndMembersAddedLaterRunTheSettledVersion() {
        Map<String, JobStatus> live = all("0001");
        Rollout r = RolloutStepper.step(rollout(1, 0), MEMBERS, live, t0).rollout();
        live.put("web/job-1", job("web/job-1", "0002", true, null));
        r = RolloutStepper.step(r, MEMBERS, live, t0.plusSeconds(1)).rollout();
        Rollout aborted = RolloutStepper.rollBack(r, "aborted by op", t0.plusSeconds(2));
        assertThat(aborted.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(aborted.versionOf("web/job-1")).isEqualTo(NEW); // still serving until its turn
        assertThat(aborted.versionOf("web/job-2")).isEqualTo(OLD); // was being replaced: back at once
        assertThat(aborted.members().get("web/job-2").state()).isEqualTo(StepState.REPLACING);
        live.put("web/job-2", job("web/job-2", "0001", true, null));
        Rollout back = RolloutStepper.step(aborted, MEMBERS, live, t0.plusSeconds(3)).rollout();
        assertThat(back.members().get("web/job-2").state()).isEqualTo(StepState.DONE);
        assertThat(back.members().get("web/job-1").state()).isEqualTo(StepState.REPLACING);
        assertThat(back.versionOf("web/job-1")).isEqualTo(OLD);
        assertThat(back.message()).isEqualTo("aborted by op");

        Rollout completed = new Rollout("web", 9, 2, OLD, NEW, 1, 0, 10_000, Phase.COMPLETED, Map.of(), 0, "op", t0,
                t0, "");
        assertThat(completed.versionOf("web/job-9")).isEqualTo(NEW);
        assertThat(RolloutStepper.step(completed, MEMBERS, live, t0).rollout()).isSameAs(completed);
    }
}
