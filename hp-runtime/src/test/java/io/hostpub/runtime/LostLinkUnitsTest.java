package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.hostpub.runtime.RuntimeFixture.log;
import static org.awaitility.Awaitility.await;

import io.hostpub.runtime.license.LicenseException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose link ends while its process lives still holds its units: a clone whose own probe misjudged a pause
 * of its supervisor closes the link and re-registers a moment later. Its units stay counted until it re-announces or
 * its process exits; before, they were dropped at once and could be granted to another member meanwhile (the chaos
 * suite saw 15 units held against a limit of 12). The member is a raw link the test speaks, with the pid of a process
 * the test runs.
 */
class LostLinkUnitsTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    Process member;

    @BeforeEach
    void setUp() throws Exception {
        member = new ProcessBuilder("sleep", "300").start();
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseLimit(4).withLicenseReclaimMs(0));
    }

    @AfterEach
    void tearDown() {
        member.destroyForcibly();
        machine.close();
    }

    @Test
    void aLiveMemberWhoseLinkEndsKeepsItsUnitsCountedUntilItsProcessExits() throws Exception {
        HostpubRuntime supervisor = machine.start("sup");
        byte[] stub = RawMember.stubOf(machine, supervisor, "sup");
        try (Socket link = RawMember.announce(machine, "live", member.pid(), 3, stub)) {
            RawMember.awaitAccepted(link);
            await().untilAsserted(() -> assertThat(supervisor.licenseTally().orElseThrow().inUse()).isEqualTo(3));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> log(supervisor).stream()
                .anyMatch(l -> l.contains("subordinate live lost") && l.contains("3 license unit(s) kept")));
        assertThat(supervisor.licenseTally().orElseThrow().inUse()).isEqualTo(3);
        assertThat(supervisor.registryNames().orElseThrow()).doesNotContain("live");
        assertThatThrownBy(() -> supervisor.licenses().acquire(2)).as("the live member's units are not free")
                .isInstanceOf(LicenseException.class);

        member.destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(supervisor.licenseTally().orElseThrow().inUse()).isZero());
        supervisor.licenses().acquire(2);
        assertThat(supervisor.licenseTally().orElseThrow().inUse()).isEqualTo(2);
    }

}
