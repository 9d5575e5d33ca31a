package io.hostpub.it.bench;

import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subordinate crash with real JVMs and {@code kill -9}: time from the harness's clock just before the signal to the
 * supervisor's unbind event (same machine, same clock), at N = 8 ({@code subordinate-unbind}). The failover rows are
 * measured by {@link FailoverComparisonBenchmark}, side by side with the peers. Run with {@code -Pbench}.
 */
@Tag("bench")
class FailoverBenchmark {

    static final int RUNS = Integer.getInteger("bench.runs", 30);

    @TempDir
    Path tmp;

    @Test
    void subordinateCrash() throws Exception {
        BenchResults results = new BenchResults();
        try (TestMachine machine = new TestMachine(Files.createDirectories(tmp.resolve("n8")), null)) {
            for (int i = 0; i < 8; i++) {
                start(machine);
            }
            subordinateCrash(machine, 8, results);
        }
        results.write();
    }

    private static int counter;

    private static CloneProcess start(TestMachine machine) {
        return machine.startRuntime("s" + (++counter), 0);
    }

    private void subordinateCrash(TestMachine machine, int n, BenchResults results) {
        long[] unbind = new long[RUNS];
        for (int run = 0; run < RUNS; run++) {
            MachineView view = FailoverComparisonBenchmark.awaitConverged(machine);
            FailoverComparisonBenchmark.awaitQuiet(machine);
            CloneProcess supervisor = machine.clone(view.supervisor());
            String victimName = view.instances().stream().filter(i -> i.role() == Role.SUBORDINATE)
                    .map(InstanceSummary::name).findFirst().orElseThrow();
            CloneProcess victim = machine.clone(victimName);
            long killedAt = RoleEvents.nowMicros();
            victim.kill9NoWait();
            OptionalLong unbound = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> RoleEvents.first(supervisor, "LINK_DOWN", "subordinate " + victimName + " lost",
                            killedAt), OptionalLong::isPresent);
            unbind[run] = unbound.getAsLong() - killedAt;
            victim.kill9();
            start(machine);
        }
        results.latency("subordinate-unbind", "hostpub", n, unbind, null);
    }
}
