package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.runtime.license.LicenseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;

    @BeforeEach
    void setUp() {
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(5).withLicenseWaitMs(5_000));
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    private LicenseTally tally() {
        return machine.supervisors().get(0).licenseTally().orElseThrow();
    }

    private int sumOfHoldings() {
        return machine.live().stream().mapToInt(r -> r.licenses().holdings()).sum();
    }

    @Test
    void grantsAreCountedMachineWideAndTheLimitHolds() throws Exception {
        HostpubRuntime a = machine.start("a");
        HostpubRuntime b = machine.start("b");
        HostpubRuntime c = machine.start("c");
        a.licenses().acquire(2);
        b.licenses().acquire(2);
        c.licenses().acquire(1);
        assertThat(tally().inUse()).isEqualTo(5);
        assertThat(tally().holdings()).containsEntry("a", 2).containsEntry("b", 2).containsEntry("c", 1);

        assertThatThrownBy(() -> c.licenses().acquire(1)).isInstanceOf(LicenseException.class)
                .hasMessageContaining("machine license limit 5 reached");
        assertThat(c.licenses().holdings()).isEqualTo(1);

        b.licenses().release(1);
        await().untilAsserted(() -> assertThat(tally().inUse()).isEqualTo(4));
        c.licenses().acquire(1);
        assertThat(tally().inUse()).isEqualTo(sumOfHoldings()).isEqualTo(5);
    }

    @Test
    void holdingsSurviveFailoverAndDeadHoldingsAreDropped() throws Exception {
        HostpubRuntime a = machine.start("a");
        HostpubRuntime b = machine.start("b");
        HostpubRuntime c = machine.start("c");
        a.licenses().acquire(1);
        b.licenses().acquire(2);
        c.licenses().acquire(2);
        HostpubRuntime supervisor = machine.supervisors().get(0);
        int lost = supervisor.licenses().holdings();
        supervisor.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(machine.supervisors()).hasSize(1);
            assertThat(tally().inUse()).isEqualTo(5 - lost).isEqualTo(sumOfHoldings());
        });
        // freed units can be taken again, up to the limit
        HostpubRuntime survivor = machine.live().get(0);
        survivor.licenses().acquire(lost);
        assertThatThrownBy(() -> survivor.licenses().acquire(1)).isInstanceOf(LicenseException.class);
    }

    @Test
    void tallyEqualsTheSumOfHoldingsAfterConcurrentChurn() throws Exception {
        machine.configure(c -> c.withLicenseLimit(0).withLicenseWaitMs(5_000));
        List<HostpubRuntime> runtimes = new ArrayList<>();
        for (String n : List.of("a", "b", "c", "d")) {
            runtimes.add(machine.start(n));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                HostpubRuntime r = runtimes.get(t % runtimes.size());
                int seed = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        r.licenses().acquire(1 + (i + seed) % 3);
                        r.licenses().release(1 + (i + seed) % 3);
                    }
                    r.licenses().acquire(1);
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        await().untilAsserted(() -> assertThat(tally().inUse()).isEqualTo(sumOfHoldings()).isEqualTo(8));
    }

    @Test
    void aNewSupervisorGrantsNothingNewBeforeTheReclaimWindowEnds() throws Exception {
        long window = 1_500;
        machine.configure(c -> c.withLicenseLimit(5).withLicenseWaitMs(10_000).withLicenseReclaimMs(window));
        HostpubRuntime a = machine.start("a");
        HostpubRuntime b = machine.start("b");
        HostpubRuntime c = machine.start("c");
        b.licenses().acquire(2);
        c.licenses().acquire(2);
        long failedOver = System.nanoTime();
        a.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> machine.supervisors().size() == 1);

        // asked at once, answered only after the window: by then both survivors have re-announced
        b.licenses().acquire(1);
        assertThat(System.nanoTime() - failedOver).isGreaterThanOrEqualTo(window * 1_000_000L);
        assertThat(tally().inUse()).isEqualTo(sumOfHoldings()).isEqualTo(5);
        assertThatThrownBy(() -> c.licenses().acquire(1)).isInstanceOf(LicenseException.class)
                .hasMessageContaining("machine license limit 5 reached");
    }
}
