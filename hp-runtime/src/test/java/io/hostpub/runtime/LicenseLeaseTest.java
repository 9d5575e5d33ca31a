package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.LicenseTally;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.license.LicenseException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * License leases (issue 14): a subordinate keeps a reserve of units granted with its requests and hands them out
 * locally; the reserve counts in the machine's tally, goes back when idle, when recalled for a member that would
 * otherwise be refused, and with the link on failover.
 */
class LicenseLeaseTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;

    @AfterEach
    void tearDown() {
        if (machine != null) {
            machine.close();
        }
    }

    private LicenseTally tally() {
        return machine.supervisors().get(0).licenseTally().orElseThrow();
    }

    private static int held(HostpubRuntime runtime) {
        return runtime.licenses().holdings() + runtime.licenses().reserve();
    }

    @Test
    void aSubordinateGrantsFromItsLeaseLocallyAndGivesTheIdleLeaseBack() throws Exception {
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(0).withLicenseLease(8, 2_000));
        machine.start("sup");
        HostpubRuntime sub = machine.start("sub");

        sub.licenses().acquire(1);
        assertThat(sub.licenses().reserve()).isEqualTo(8);
        assertThat(tally().holdings()).containsEntry("sub", 9);
        // eight more from the reserve: the tally does not move, no message was needed
        for (int i = 0; i < 8; i++) {
            sub.licenses().acquire(1);
        }
        assertThat(sub.licenses().holdings()).isEqualTo(9);
        assertThat(sub.licenses().reserve()).isZero();
        assertThat(tally().holdings()).containsEntry("sub", 9);

        // released units refill the reserve up to its size; the rest go back at once
        sub.licenses().release(9);
        assertThat(sub.licenses().reserve()).isEqualTo(8);
        await().untilAsserted(() -> assertThat(tally().holdings()).containsEntry("sub", 8));
        // unused for the idle time: the reserve goes back too, and the tally shows exactly what is in use
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sub.licenses().reserve()).isZero();
            assertThat(tally().inUse()).isZero();
        });
    }

    @Test
    void leasesThinOutNearTheLimitAndARecallServesAMemberThatWouldBeRefused() throws Exception {
        // idle leases kept until recalled, so only a recall can free them
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(20).withLicenseLease(8, 0)
                .withLicenseWaitMs(5_000));
        machine.start("sup");
        HostpubRuntime first = machine.start("first");
        HostpubRuntime second = machine.start("second");

        first.licenses().acquire(1);
        // a quarter of what stays free (19 / 4), not the whole lease of 8
        assertThat(first.licenses().reserve()).isEqualTo(4);
        second.licenses().acquire(15);
        assertThat(second.licenses().reserve()).isZero();
        assertThat(tally().inUse()).isEqualTo(20);

        // the limit is reached, but 4 units sit unused with first: they are recalled and granted
        second.licenses().acquire(1);
        assertThat(first.licenses().reserve()).isZero();
        assertThat(second.licenses().holdings()).isEqualTo(16);
        await().untilAsserted(() -> assertThat(tally().inUse()).isEqualTo(17)
                .isEqualTo(held(first) + held(second)));

        // what is not there is refused, and the limit holds
        assertThatThrownBy(() -> second.licenses().acquire(4)).isInstanceOf(LicenseException.class)
                .hasMessageContaining("machine license limit 20 reached");
        first.licenses().acquire(3);
        assertThatThrownBy(() -> first.licenses().acquire(1)).isInstanceOf(LicenseException.class);
        assertThat(tally().inUse()).isEqualTo(20).isEqualTo(held(first) + held(second));

        // recalled and not leased since: a released unit goes straight back instead of refilling the reserve, so a
        // member that waits gets it
        first.licenses().release(1);
        assertThat(first.licenses().reserve()).isZero();
        await().untilAsserted(() -> assertThat(tally().inUse()).isEqualTo(19));
        second.licenses().acquire(1);
    }

    @Test
    void aLeaseGoesBackWithTheSupervisorAndTheNewTallyCountsOnlyUnitsInUse() throws Exception {
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(0).withLicenseLease(8, 0)
                .withLicenseReclaimMs(0));
        HostpubRuntime sup = machine.start("sup");
        HostpubRuntime a = machine.start("a");
        HostpubRuntime b = machine.start("b");
        a.licenses().acquire(2);
        b.licenses().acquire(1);
        assertThat(tally().inUse()).isEqualTo(3 + 16);

        sup.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(machine.supervisors()).hasSize(1);
            assertThat(tally().holdings()).containsEntry("a", 2).containsEntry("b", 1);
        });
        HostpubRuntime subordinate = machine.supervisors().get(0) == a ? b : a;
        assertThat(subordinate.licenses().reserve()).isZero();
        // and the survivor leases anew from its new supervisor
        subordinate.licenses().acquire(1);
        await().untilAsserted(() -> assertThat(subordinate.licenses().reserve()).isEqualTo(8));
        assertThat(tally().inUse()).isEqualTo(a.licenses().holdings() + b.licenses().holdings() + 8);
    }

    @Test
    void withoutLeasesEveryGrantIsCountedAsItHappens() throws Exception {
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(0).withLicenseLease(0, 0));
        machine.start("sup");
        HostpubRuntime sub = machine.start("sub");
        sub.licenses().acquire(2);
        assertThat(sub.licenses().reserve()).isZero();
        assertThat(tally().holdings()).containsEntry("sub", 2);
        sub.licenses().release(2);
        await().untilAsserted(() -> assertThat(tally().inUse()).isZero());
    }

    @Test
    void theLeaseKeysHaveSaneDefaults() {
        RuntimeConfig defaults = RuntimeConfig.defaults(home);
        assertThat(defaults.licenseLeaseUnits()).isEqualTo(RuntimeConfig.DEFAULT_LICENSE_LEASE_UNITS).isPositive();
        assertThat(defaults.licenseLeaseIdleMs()).isEqualTo(RuntimeConfig.DEFAULT_LICENSE_LEASE_IDLE_MS).isPositive();
    }
}
