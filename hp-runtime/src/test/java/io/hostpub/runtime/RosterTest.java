package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static io.hostpub.runtime.RuntimeFixture.log;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Message;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roster: a supervisor tells every member of each join and leave, and a member hands on what its previous
 * supervisor said; a new supervisor grants nothing while a live member of that roster has not re-announced. The
 * members here are real processes (a {@code sleep} stands for a stopped clone that holds units).
 */
class RosterTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    Process member;

    @BeforeEach
    void setUp() throws Exception {
        member = new ProcessBuilder("sleep", "300").start();
        machine = new RuntimeFixture(home).configure(c -> c.withLicenseReclaimMs(1_500).withLicenseRosterWaitMs(60_000));
    }

    @AfterEach
    void tearDown() {
        member.destroyForcibly();
        machine.close();
    }

    @Test
    void aHandedOnRosterHoldsGrantsUntilItsLiveMemberIsGone() throws Exception {
        HostpubRuntime supervisor = machine.start("sup");
        byte[] stub = RawMember.stubOf(machine, supervisor, "sup");
        try (Socket s = RawMember.announce(machine, "joiner", ProcessHandle.current().pid(), 0, stub)) {
            InputStream in = s.getInputStream();
            // every member hears of a join before the joiner's verdict
            Message first = FrameCodec.read(in);
            assertThat(first).isInstanceOf(Message.Roster.class);
            assertThat(((Message.Roster) first).pids()).containsExactly(ProcessHandle.current().pid());
            assertThat(FrameCodec.read(in)).isInstanceOf(Message.Accepted.class);

            // the joiner hands on its previous supervisor's roster, naming a live process, and asks for a unit
            FrameCodec.write(s.getOutputStream(), new Message.Roster(new long[] {member.pid()}));
            FrameCodec.write(s.getOutputStream(), new Message.LicenseAcquire(1, 1));
            Message handedOn = FrameCodec.read(in);
            assertThat(((Message.Roster) handedOn).pids()).as("the supervisor's roster now names it too")
                    .contains(member.pid());

            await().atMost(Duration.ofSeconds(10)).until(() -> log(supervisor).stream()
                    .anyMatch(l -> l.contains("holding grants") && l.contains("pid [" + member.pid() + "]")));
            s.setSoTimeout(500);
            assertThat(readOrTimeout(in)).as("no grant while the member lives and has not re-announced").isNull();
            assertThat(supervisor.licenseTally().orElseThrow().inUse()).isZero();

            member.destroyForcibly().waitFor();
            s.setSoTimeout(10_000);
            assertThat(FrameCodec.read(in)).isEqualTo(new Message.LicenseGranted(1, 1));
            assertThat(log(supervisor)).anyMatch(l -> l.contains("every live member of the previous roster"));
            assertThat(supervisor.licenseTally().orElseThrow().holdings()).containsEntry("joiner", 1);
        }
    }

    @Test
    void aNewSupervisorWaitsForTheLiveMembersOfTheRosterItWasSent() throws Exception {
        HostpubRuntime first = machine.start("first");
        HostpubRuntime second = machine.start("second");
        // a third member on the first supervisor's books: a process the test runs, announced over the protocol
        byte[] stub = RawMember.stubOf(machine, first, "first");
        try (Socket s = RawMember.announce(machine, "stopped", member.pid(), 1, stub)) {
            RawMember.awaitAccepted(s);
            await().untilAsserted(() -> assertThat(first.licenseTally().orElseThrow().inUse()).isEqualTo(1));

            // the supervisor goes; the member stays alive but silent (its link is still open to the old one)
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> second.role() == io.hostpub.admin.api.model.Role.SUPERVISOR);
            await().atMost(Duration.ofSeconds(10)).until(() -> log(second).stream()
                    .anyMatch(l -> l.contains("holding grants") && l.contains("pid [" + member.pid() + "]")));
            assertThat(second.licenseTally().orElseThrow().inUse()).isZero();

            member.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> log(second).stream()
                    .anyMatch(l -> l.contains("every live member of the previous roster")));
        }
        second.licenses().acquire(1);
        assertThat(second.licenseTally().orElseThrow().inUse()).isEqualTo(1);
    }

    private static Message readOrTimeout(InputStream in) throws Exception {
        try {
            return FrameCodec.read(in);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

}
