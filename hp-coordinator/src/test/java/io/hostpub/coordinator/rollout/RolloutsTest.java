package io.hostpub.coordinator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.Rollout.Phase;
import io.hostpub.coordinator.api.rollout.Rollout.Step;
import io.hostpub.coordinator.api.rollout.Rollout.StepState;
import io.hostpub.coordinator.api.rollout.Rollout.Version;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.JournalStore;
import io.hostpub.coordinator.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's writes against the coordinator's steps of the same record: a step that comes between the operator's
 * fence and its write makes the operator decide again on the stepped record (the race CI met once in RolloutTest),
 * and a step that loses to the operator is dropped for the next cycle.
 */
class RolloutsTest {

    private static final List<String> MEMBERS = List.of("web/job-1", "web/job-2");
    private static final Version OLD = new Version("0001", "/wars/web##0001.war", "aa");
    private static final Version NEW = new Version("0002", "/wars/web##0002.war", "bb");
    private final Instant t0 = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    private Rollout running() {
        Map<String, Step> members = new LinkedHashMap<>();
        MEMBERS.forEach(m -> members.put(m, new Step(OLD.label(), StepState.WAITING, t0)));
        return new Rollout("web", 1, 1, OLD, NEW, 1, 0, 10_000, Phase.ROLLING, members, 0, "op", t0, t0, "");
    }

    @Test
    void anAbortRacedByACoordinatorStepIsDecidedAgainOnTheSteppedRecord() throws Exception {
        try (JournalStore journal = JournalStore.open(dir)) {
            Fence setup = journal.acquire(Rollouts.SCOPE, "setup");
            journal.put(setup, "web", Json.write(running()));
            Rollout stepped = RolloutStepper.step(running(), MEMBERS, Map.of(), t0.plusSeconds(1)).rollout();
            assertThat(stepped.members().get("web/job-1").state()).isEqualTo(StepState.REPLACING);
            StepBetween store = new StepBetween(journal, stepped);

            Rollout aborted = Rollouts.abort(store, "web", "alice", t0.plusSeconds(2));

            assertThat(store.stepsTaken).isEqualTo(1);
            assertThat(aborted.phase()).isEqualTo(Phase.ROLLING_BACK);
            assertThat(aborted.revision()).isEqualTo(stepped.revision() + 1);
            assertThat(aborted.message()).contains("aborted by alice");
            assertThat(Rollouts.read(journal, "web")).contains(aborted);
            // and the coordinator's step that loses to an operator's write is dropped, not an error
            assertThat(Rollouts.save(journal, RolloutStepper.step(stepped, MEMBERS, Map.of(), t0.plusSeconds(3))
                    .rollout(), stepped.revision(), "monitor local/l1")).isFalse();
            assertThat(Rollouts.read(journal, "web")).contains(aborted);
        }
    }

    /** The journal, where the coordinator saves its step once, just after the operator took the fence and read. */
    private static final class StepBetween implements CoordinatorStore {
        private final CoordinatorStore journal;
        private final Rollout step;
        int stepsTaken;

        StepBetween(CoordinatorStore journal, Rollout step) {
            this.journal = journal;
            this.step = step;
        }

        @Override
        public Fence acquire(String scope, String holder) throws StoreException {
            return journal.acquire(scope, holder);
        }

        @Override
        public Optional<Fence> current(String scope) throws StoreException {
            return journal.current(scope);
        }

        @Override
        public void put(Fence fence, String key, byte[] value) throws StoreException {
            if (stepsTaken == 0) {
                stepsTaken++;
                assertThat(Rollouts.save(journal, step, step.revision() - 1, "monitor local/l1")).isTrue();
            }
            journal.put(fence, key, value);
        }

        @Override
        public void delete(Fence fence, String key) throws StoreException {
            journal.delete(fence, key);
        }

        @Override
        public Optional<byte[]> get(String scope, String key) throws StoreException {
            return journal.get(scope, key);
        }

        @Override
        public Map<String, byte[]> list(String scope) throws StoreException {
            return journal.list(scope);
        }

        @Override
        public String describe() {
            return journal.describe();
        }

        @Override
        public void close() {
        }
    }
}
