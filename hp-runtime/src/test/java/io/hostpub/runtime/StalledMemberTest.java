package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.runtime.events.EventLog;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that stops reading (a stopped process) while the machine keeps changing: the supervisor tells every member
 * of every join, so the frames pile up in the member's buffers until a write to it blocks. That write must not hold
 * the supervisor's membership, and with it every later join: the member is declared hung within the send deadline,
 * its link closed and its name unbound, its units kept counted while its process lives; everyone else goes on.
 * The probe is off (the default), so nothing but the deadline can free the supervisor.
 */
class StalledMemberTest {

    /** Members that join after the stalled one; their pids are made up (only the roster reads them). */
    static final int JOINERS = 400;
    static final long FIRST_JOINER_PID = 4_000_000_000L;

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;
    Process stoppedProcess;
    final List<Socket> joiners = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        stoppedProcess = new ProcessBuilder("sleep", "300").start();
        machine = new RuntimeFixture(home);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : joiners) {
            s.close();
        }
        stoppedProcess.destroyForcibly();
        machine.close();
    }

    @Test
    void aMemberThatStopsReadingIsDeclaredHungAndHoldsUpNobody() throws Exception {
        HostpubRuntime supervisor = machine.start("sup");
        byte[] stub = RawMember.stubOf(machine, supervisor, "sup");
        try (Socket stalled = RawMember.announce(machine, "stalled", stoppedProcess.pid(), 2, stub, 4096)) {
            RawMember.awaitAccepted(stalled);
            // from here on it reads nothing; each join sends it a longer roster (8 bytes a member)
            for (int i = 0; i < JOINERS && !declaredHung(supervisor); i++) {
                // the joiners read nothing either, but their buffers hold megabytes
                Socket joiner = RawMember.announce(machine, "joiner-" + i, FIRST_JOINER_PID + i, 0, stub, 4 << 20);
                joiners.add(joiner);
                try {
                    RawMember.awaitAccepted(joiner);
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("joiner-" + i + " got no verdict in 10 s: the supervisor is held up", e);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> declaredHung(supervisor));
            assertThat(joiners.size()).as("the deadline fired before every joiner joined").isLessThan(JOINERS);
            System.out.printf("STALLED declared hung after %d joins%n", joiners.size());

            // unbound at once, its units kept while its process lives
            await().atMost(Duration.ofSeconds(10)).until(() -> !supervisor.registryNames().orElseThrow()
                    .contains("stalled"));
            assertThat(supervisor.licenseTally().orElseThrow().holdings()).containsEntry("stalled", 2);
            assertThat(readsToTheEnd(stalled)).as("its link is closed").isTrue();

            // the machine goes on: a real instance joins and is granted units
            HostpubRuntime later = machine.start("later");
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.registryNames().orElseThrow()
                    .contains("later"));
            later.licenses().acquire(1);
            // counted with the lease it keeps for local grants
            assertThat(supervisor.licenseTally().orElseThrow().holdings())
                    .containsEntry("later", 1 + later.licenses().reserve());

            // the stopped process exits: its kept units go
            stoppedProcess.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> !supervisor.licenseTally().orElseThrow().holdings()
                    .containsKey("stalled"));
        }
        // the deadline's timer thread exists only while sends are guarded
        await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("hostpub-sup-send-deadline-")));
    }

    /** Reads what the supervisor still had queued, to the end of the stream (or a reset: the link is gone either way). */
    private static boolean readsToTheEnd(Socket socket) throws java.io.IOException {
        try {
            socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return true;
        } catch (java.net.SocketException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    private static boolean declaredHung(HostpubRuntime runtime) {
        return runtime.events().newest(EventLog.CAPACITY).stream().map(EventInfo::message)
                .anyMatch(m -> m.startsWith("subordinate stalled took no ROSTER frame"));
    }
}
