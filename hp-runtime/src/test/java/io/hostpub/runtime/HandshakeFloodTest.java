package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.Role;
import io.hostpub.admin.api.transport.AuthenticatedServerSocketFactory;
import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.link.LinkContext;
import io.hostpub.testing.Trickler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unauthenticated peers that open many connections and trickle their handshake, one byte a second (a slow loris):
 * on the race port and on the RMI registry port. Each connection must be cut off at one total deadline however
 * it trickles, the unauthenticated connections must stay bounded, and the machine's own members and admins must
 * get through meanwhile. The latencies printed are the figures for the closing note, not assertions.
 */
class HandshakeFloodTest {

    /** More than the slots a listener has: on the old code the first 64 held their slots for as long as they liked. */
    static final int FLOOD = 96;

    @TempDir
    java.nio.file.Path home;

    @Test
    void aTricklingFloodOnTheRacePortNeitherHoldsItsSlotsNorLocksOutMembersAndAdmins() throws Exception {
        try (RuntimeFixture machine = new RuntimeFixture(home)) {
            HostpubRuntime supervisor = machine.start("sup");
            floodRacePort(machine);
            assertThat(supervisor.role()).isEqualTo(Role.SUPERVISOR);
        }
    }

    private static void floodRacePort(RuntimeFixture machine) throws Exception {
        try (Trickler flood = Trickler.open(new InetSocketAddress("127.0.0.1", machine.port), FLOOD, hello(),
                proof(), Duration.ofSeconds(1))) {
            HostpubRuntime late = machine.start("late");
            await().atMost(Duration.ofSeconds(10)).until(() -> late.role() == Role.SUBORDINATE);
            List<Long> nanos = adminViews(machine, List.of("sup", "late"));
            System.out.println("[flood] race port, " + FLOOD + " trickling connections: locator view " + summary(nanos));

            // the total deadline counts from the accept: trickling a byte a second does not stretch it
            await().atMost(Duration.ofMillis(LinkContext.HANDSHAKE_TIMEOUT_MS + 10_000))
                    .untilAsserted(() -> assertThat(flood.stillOpen()).isZero());
        }
    }

    @Test
    void aTricklingFloodOnTheRegistryPortIsBoundedAndCutOff() throws Exception {
        try (RuntimeFixture machine = new RuntimeFixture(home)) {
            floodRegistryPort(machine, machine.start("sup"));
        }
    }

    private static void floodRegistryPort(RuntimeFixture machine, HostpubRuntime supervisor) throws Exception {
        int registryPort = supervisor.registryPort().orElseThrow();
        long before = busyRmiThreads();
        try (Trickler flood = Trickler.open(new InetSocketAddress("127.0.0.1", registryPort), 300, hello(), proof(),
                Duration.ofSeconds(1))) {
            // at most one listener's slots are unauthenticated at once: the rest were closed to make room
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(busyRmiThreads())
                    .isLessThanOrEqualTo(before + AuthenticatedServerSocketFactory.MAX_PENDING_HANDSHAKES + 2));
            assertThat(flood.closedByServer()).isGreaterThanOrEqualTo(300 - 64);
            List<Long> nanos = adminViews(machine, List.of("sup"));
            System.out.println("[flood] registry port, 300 trickling connections: locator view " + summary(nanos));

            await().atMost(Duration.ofMillis(LinkContext.HANDSHAKE_TIMEOUT_MS + 10_000))
                    .untilAsserted(() -> assertThat(flood.stillOpen()).isZero());
        }
    }

    /** Twenty admin views of the machine (race port, then registry, then each instance), each timed. */
    private static List<Long> adminViews(RuntimeFixture machine, List<String> expected) throws Exception {
        List<Long> nanos = new ArrayList<>();
        var locator = machine.locator();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            var view = locator.view(machine.address());
            nanos.add(System.nanoTime() - start);
            assertThat(view.instances()).extracting(InstanceSummary::name).containsAll(expected);
        }
        return nanos;
    }

    private static String summary(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("p50 %.1f ms, p99 %.1f ms over %d calls", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }

    /** RMI connection threads serving a connection (idle pool threads are named so). */
    private static long busyRmiThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("RMI TCP Connection") && !n.contains("idle")).count();
    }

    private static byte[] hello() throws IOException {
        return frame(new Message.Hello(Handshake.MAGIC, Handshake.VERSION, new byte[Message.NONCE_BYTES]));
    }

    private static byte[] proof() throws IOException {
        return frame(new Message.Proof(new byte[32]));
    }

    private static byte[] frame(Message message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, message);
        return out.toByteArray();
    }
}
