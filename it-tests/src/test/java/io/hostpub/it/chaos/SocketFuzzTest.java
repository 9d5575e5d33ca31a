package io.hostpub.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.wire.FrameCodec;
import io.hostpub.admin.api.wire.Handshake;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket fuzzer against the supervisor port for {@code hostpub.it.fuzzSeconds} (20 in the default run, 120 with {@code -Pchaos}): 16 connections at a time,
 * each sending one of random bytes, a truncated frame, a frame announcing an oversized payload, a frame dribbled one
 * byte per second, a replay of a real client's recorded handshake, nothing at all, or (after a real handshake, as an
 * instance holding the secret would) random and truncated frames. Meanwhile four real instances keep taking and
 * returning license units over their links. Afterwards: every instance is alive and never lost its link or role,
 * each kept getting grants, the registry is unchanged, the supervisor logged failed handshakes at most once a
 * second, and its threads came back to where they were.
 */
class SocketFuzzTest {

    static final long SECONDS = Long.getLong("hostpub.it.fuzzSeconds", 20);
    static final int CONNECTIONS = 16;
    private static final Pattern ACQ = Pattern.compile("^ACQ \\d+ @(\\d+)$");

    @TempDir
    Path home;

    private TestMachine machine;
    private final List<String> fuzzerBugs = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void fuzzedSupervisorPortLeavesLegitimateLinksAlone() throws Exception {
        machine = new TestMachine(home, "<hostpub><licenseLimit>8</licenseLimit></hostpub>");
        List<CloneProcess> clones = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            CloneProcess clone = CloneProcess.start(machine, "f" + i, List.of("-Dhostpub.instanceName=f" + i),
                    ChaosClone.class.getName(), List.of());
            machine.track(clone);
            clones.add(clone);
        }
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> machine.registryNames().size() == 5);
        List<String> registryBefore = machine.registryNames().stream().sorted().toList();
        CloneProcess supervisor = machine.clone(machine.view().supervisor());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int before = supervisor.threads();
            Thread.sleep(500);
            return supervisor.threads() == before;
        });
        int threadsBefore = supervisor.threads();
        Map<String, Integer> linesBefore = new ConcurrentHashMap<>();
        clones.forEach(c -> linesBefore.put(c.name(), c.logLines().size()));
        byte[] replay = recordHandshake();

        long fuzzStart = ChaosClone.micros();
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        AtomicLong attacks = new AtomicLong();
        Map<Integer, java.util.concurrent.atomic.LongAdder> perKind = new ConcurrentHashMap<>();
        Map<Integer, java.util.concurrent.atomic.LongAdder> millisPerKind = new ConcurrentHashMap<>();
        AtomicLong maxThreads = new AtomicLong();
        List<Thread> fuzzers = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
            Thread fuzzer = new Thread(() -> {
                while (System.nanoTime() < end) {
                    int kind = ThreadLocalRandom.current().nextInt(8);
                    long began = System.nanoTime();
                    attack(kind, replay);
                    perKind.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.LongAdder()).increment();
                    millisPerKind.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.LongAdder())
                            .add((System.nanoTime() - began) / 1_000_000);
                    attacks.incrementAndGet();
                }
            }, "fuzzer-" + t);
            fuzzer.setDaemon(true);
            fuzzer.start();
            fuzzers.add(fuzzer);
        }
        while (System.nanoTime() < end) {
            maxThreads.accumulateAndGet(supervisor.threads(), Math::max);
            Thread.sleep(200);
        }
        for (Thread fuzzer : fuzzers) {
            fuzzer.join(15_000);
        }
        long fuzzEnd = ChaosClone.micros();
        System.out.println("FUZZ " + attacks.get() + " connections; per kind (count, total ms): " + perKind + " "
                + millisPerKind + "; supervisor threads " + threadsBefore + " before, at most " + maxThreads.get());

        assertThat(fuzzerBugs).as("the fuzzer's own failures").isEmpty();
        // nobody crashed, lost a link or changed role; every instance kept getting grants throughout
        for (CloneProcess clone : clones) {
            assertThat(clone.isAlive()).as("%s alive", clone).isTrue();
            List<String> lines = clone.logLines();
            List<String> during = lines.subList(linesBefore.get(clone.name()), lines.size());
            assertThat(during).as("events of %s during the fuzz", clone)
                    .noneMatch(l -> l.contains(" ROLE ") || (l.contains("LINK_DOWN") && !l.contains("protocol violation")
                            && !l.contains("handshake")))
                    .noneMatch(l -> l.contains("OutOfMemoryError"));
            assertThat(longestGapBetweenGrants(during, fuzzStart, fuzzEnd)).as("longest wait for a grant in %s (ms)",
                    clone).isLessThan(5_000);
        }
        assertThat(machine.registryNames().stream().sorted().toList()).isEqualTo(registryBefore);

        // failed handshakes logged at most once a second (the rest counted as suppressed)
        long foreignLines = supervisor.logLines().stream().filter(l -> l.contains("FOREIGN_PEER")).count();
        assertThat(foreignLines).as("FOREIGN_PEER lines after %d attacks", attacks.get())
                .isLessThanOrEqualTo(SECONDS + 5);
        assertThat(attacks.get()).isGreaterThan(SECONDS * 4);

        // bounded while it lasted (one thread per pending handshake, at most 64), back to normal after
        assertThat(maxThreads.get()).isLessThanOrEqualTo(threadsBefore + 64 + 8);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(supervisor.threads()).isLessThanOrEqualTo(threadsBefore + 2));
    }

    /** The bytes a real client writes during a successful handshake: replayed later, they must not get in. */
    private byte[] recordHandshake() throws IOException {
        try (Socket socket = connect()) {
            ByteArrayOutputStream recorded = new ByteArrayOutputStream();
            OutputStream out = socket.getOutputStream();
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    recorded.write(b);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    recorded.write(b, off, len);
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }
            };
            new Handshake(machine.secret()).asClient(socket.getInputStream(), tee);
            return recorded.toByteArray();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", machine.port()), 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private void attack(int kind, byte[] replay) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            switch (kind) {
                case 0 -> out.write(bytes(1 + random.nextInt(2_000)));
                case 1 -> {
                    byte[] frame = helloFrame();
                    out.write(frame, 0, 1 + random.nextInt(frame.length - 1));
                }
                case 2 -> out.write(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE - random.nextInt(1_000))
                        .putInt(random.nextInt()).array());
                case 3 -> {
                    byte[] frame = helloFrame();
                    for (int i = 0; i < Math.min(frame.length, 4 + random.nextInt(4)); i++) {
                        out.write(frame[i]);
                        out.flush();
                        Thread.sleep(1_000);
                    }
                }
                case 4 -> out.write(replay);
                case 5 -> Thread.sleep(random.nextInt(3_000));
                default -> {
                    // an authenticated peer that then talks nonsense
                    new Handshake(machine.secret()).asClient(in, out);
                    if (random.nextBoolean()) {
                        out.write(bytes(1 + random.nextInt(500)));
                    } else {
                        byte[] frame = FrameCodec.encode(new Message.LicenseAcquire(random.nextLong(), 1));
                        out.write(frame, 0, frame.length - 1 - random.nextInt(frame.length - 1));
                    }
                }
            }
            out.flush();
            // read whatever the supervisor answers until it closes, or hang up after a moment (half the time the
            // supervisor's handshake timeout has to clean up after us)
            socket.setSoTimeout(random.nextBoolean() ? 300 : 6_000);
            byte[] sink = new byte[512];
            while (in.read(sink) >= 0) {
                // drain
            }
        } catch (IOException e) {
            // refused, reset or timed out: all acceptable answers to garbage
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fuzzerBugs.add(e.toString());
        }
    }

    private static byte[] helloFrame() {
        return FrameCodec.encode(new Message.Hello(Handshake.MAGIC, Handshake.VERSION, bytes(Message.NONCE_BYTES)));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** The longest stretch inside [from, to] without a grant logged by the instance, in ms. */
    private static long longestGapBetweenGrants(List<String> lines, long from, long to) {
        long last = from;
        long longest = 0;
        for (String line : lines) {
            Matcher m = ACQ.matcher(line);
            if (m.matches()) {
                long at = Long.parseLong(m.group(1));
                if (at >= from && at <= to) {
                    longest = Math.max(longest, at - last);
                    last = at;
                }
            }
        }
        return Math.max(longest, to - last) / 1_000;
    }
}
