package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.store.StoreException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator action is recorded or not done at all: a stop-job on a full store once answered 500 and the job was
 * stopped anyway at the next cycle.
 */
class OperatorDeskTest {

    final ScheduledExecutorService cycle = Executors.newSingleThreadScheduledExecutor();
    final MonitorMemory memory = new MonitorMemory();
    final AtomicBoolean storeFull = new AtomicBoolean();

    @AfterEach
    void tearDown() {
        cycle.shutdownNow();
    }

    OperatorDesk desk() {
        return new OperatorDesk(new OperatorDesk.Coordinator() {
            @Override public ClusterPlan.MonitorPosition position() {
                return new ClusterPlan.MonitorPosition("local/l1", List.of("n1"), List.of());
            }

            @Override public boolean isRunning() {
                return true;
            }

            @Override public Set<String> desiredJobs() {
                return Set.of("web/clone-1");
            }

            @Override public boolean watchesNode(String node) {
                return node.equals("n1");
            }

            @Override public void checkpoint() throws Exception {
                if (storeFull.get()) {
                    throw new StoreException("journal store /srv/store.journal: No space left on device");
                }
            }

            @Override public void superseded(String why) {
            }
        }, memory, cycle, intent -> { });
    }

    @Test
    void anIntentTheStoreDidNotTakeIsRefusedWith503AndUndone() throws Exception {
        OperatorDesk desk = desk();
        storeFull.set(true);
        assertThatThrownBy(() -> desk.hold("web/clone-1")).isInstanceOfSatisfying(ClusterRefusal.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e).hasMessageContaining("No space left").hasMessageContaining("nothing changed");
        });
        assertThat(memory.held).as("not held: the next cycle must not stop it").isEmpty();

        storeFull.set(false);
        assertThat(desk.hold("web/clone-1").heldJobs()).containsExactly("web/clone-1");
        storeFull.set(true);
        assertThatThrownBy(() -> desk.release("web/clone-1")).isInstanceOf(ClusterRefusal.class);
        assertThat(memory.held).as("still held: the release was not recorded").containsExactly("web/clone-1");
    }
}
