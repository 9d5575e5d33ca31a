package io.hostpub.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest extends StoreContract {

    @TempDir
    Path directory;

    @Override
    CoordinatorStore client() throws Exception {
        return JournalStore.open(directory);
    }

    @Test
    void survivesAReopenAndCutsARecordTornByACrash() throws Exception {
        Fence fence;
        try (CoordinatorStore store = client()) {
            fence = store.acquire("agent/n1", "me");
            store.put(fence, "a", bytes("kept"));
        }
        Path journal = directory.resolve("store.journal");
        long good = Files.size(journal);
        try (FileChannel out = FileChannel.open(journal, StandardOpenOption.APPEND)) {
            // the start of a record whose write the crash interrupted
            out.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 2, 0}));
        }
        try (CoordinatorStore store = client()) {
            assertThat(store.get("agent/n1", "a").map(StoreContract::text)).contains("kept");
            assertThat(store.current("agent/n1")).contains(fence);
            assertThat(Files.size(journal)).isEqualTo(good);
            store.put(fence, "b", bytes("after"));
        }
        try (CoordinatorStore store = client()) {
            assertThat(store.list("agent/n1").keySet()).containsExactly("a", "b");
        }
    }

    /**
     * One flipped bit inside the journal once read as "a torn record": 73 KB of acknowledged records were cut, held
     * jobs ran again and fencing epochs were granted a second time. Damage with intact records after it must stop
     * the store (file and offset named, file untouched) until an explicit repair, which sets the rest aside and keeps
     * every epoch ever granted out of reach.
     */
    @Test
    void aFlippedBitInsideStopsTheStoreUntilARepairThatNeverRegrantsAnEpoch() throws Exception {
        long highestLocal;
        try (CoordinatorStore store = client()) {
            Fence agent = store.acquire("agent/n1", "a1");
            for (int i = 0; i < 20; i++) {
                store.put(agent, "jobs/web/clone-" + i, bytes("{\"pid\":" + (1000 + i) + "}"));
            }
            Fence local = null;
            for (int i = 0; i < 5; i++) {
                local = store.acquire("local/l1", "coordinator " + i);
                store.put(local, "hold/web/clone-" + i, bytes("held"));
            }
            highestLocal = local.epoch();
        }
        Path journal = directory.resolve("store.journal");
        byte[] before = Files.readAllBytes(journal);
        List<Integer> frames = frameStarts(before);
        int damaged = frames.get(frames.size() / 2);
        byte[] flipped = before.clone();
        flipped[damaged + JournalRecord.FRAME_HEADER + 3] ^= 0x10; // inside the payload of a middle record
        Files.write(journal, flipped);

        assertThatThrownBy(this::client).isInstanceOf(StoreException.class)
                .hasMessageContaining(journal.toString()).hasMessageContaining("damaged at offset " + damaged)
                .hasMessageContaining("repair-journal");
        assertThat(Files.readAllBytes(journal)).as("nothing cut").isEqualTo(flipped);

        JournalRepair.Report report = JournalRepair.repair(directory);
        assertThat(report.damagedAt()).isEqualTo(damaged);
        assertThat(report.recordsKept()).isEqualTo(frames.size() / 2);
        assertThat(Files.readAllBytes(report.setAside())).isEqualTo(java.util.Arrays.copyOfRange(flipped, damaged,
                flipped.length));
        assertThat(Files.size(journal)).isEqualTo(damaged);
        try (CoordinatorStore store = client()) {
            assertThat(store.acquire("local/l1", "after the repair").epoch()).as("above every epoch ever granted")
                    .isGreaterThan(highestLocal);
            assertThat(store.acquire("agent/n1", "after the repair").epoch()).isGreaterThan(1);
        }
        assertThat(JournalRepair.repair(directory).setAside()).as("an intact journal is left alone").isNull();
    }

    @Test
    void theStoreFilesAreTheOwnersOnly() throws Exception {
        try (CoordinatorStore store = client()) {
            store.acquire("agent/n1", "me");
        }
        for (String file : List.of("store.journal", EpochFloor.FILE)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    directory.resolve(file)))).as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void aDamagedLastRecordIsATornWriteAndIsCut() throws Exception {
        try (CoordinatorStore store = client()) {
            Fence fence = store.acquire("agent/n1", "me");
            store.put(fence, "a", bytes("kept"));
            store.put(fence, "b", bytes("torn"));
        }
        Path journal = directory.resolve("store.journal");
        byte[] bytes = Files.readAllBytes(journal);
        List<Integer> frames = frameStarts(bytes);
        int last = frames.get(frames.size() - 1);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(journal, bytes);
        try (CoordinatorStore store = client()) {
            assertThat(store.list("agent/n1").keySet()).containsExactly("a");
            assertThat(Files.size(journal)).isEqualTo(last);
        }
    }

    /** Where each frame of an intact journal starts. */
    private static List<Integer> frameStarts(byte[] journal) {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(journal);
        while (in.hasRemaining()) {
            starts.add(in.position());
            in.position(in.position() + JournalRecord.FRAME_HEADER + in.getInt(in.position()));
        }
        return starts;
    }

    @Test
    void compactsAJournalOfMostlyDeadRecordsKeepingEveryValueAndEpoch() throws Exception {
        try (CoordinatorStore store = client(); CoordinatorStore other = client()) {
            Fence fence = store.acquire("monitor/local/c", "me");
            for (int i = 0; i < 5000; i++) {
                store.put(fence, "checkpoint", bytes("v" + i));
            }
            long compacted = Files.size(directory.resolve("store.journal"));
            assertThat(compacted).isLessThan(5000 * 30);
            assertThat(other.get("monitor/local/c", "checkpoint").map(StoreContract::text)).contains("v4999");
            assertThat(other.current("monitor/local/c")).contains(fence);
            Fence next = other.acquire("monitor/local/c", "next");
            assertThat(next.epoch()).isEqualTo(fence.epoch() + 1);
        }
    }

    @Test
    void processesExcludeEachOtherThroughTheFileLock() throws Exception {
        List<Process> writers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), GrantWriter.class.getName(), directory.toString(), "50")
                    .redirectErrorStream(true).start());
        }
        Set<Long> epochs = new HashSet<>();
        try (CoordinatorStore store = client()) {
            for (int i = 0; i < 50; i++) {
                epochs.add(store.acquire("race/processes", "test").epoch());
            }
        }
        for (Process writer : writers) {
            String out = new String(writer.getInputStream().readAllBytes());
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.exitValue()).as(out).isZero();
            out.lines().map(Long::parseLong).forEach(epoch -> assertThat(epochs.add(epoch)).as("epoch %d twice", epoch)
                    .isTrue());
        }
        assertThat(epochs).hasSize(150);
        try (CoordinatorStore store = client()) {
            assertThat(store.current("race/processes").orElseThrow().epoch()).isEqualTo(150);
        }
    }

    @Test
    void aCallWaitingLongForTheLockSaysWhichFileAndGoesOnWhenItIsFree() throws Exception {
        try (CoordinatorStore store = client()) {
            store.acquire("held/scope", "test"); // creates the lock file
        }
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), directory.toString())
                .redirectErrorStream(true).start();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(MachineLock.class.getName());
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(record.getLevel() + " " + java.text.MessageFormat.format(record.getMessage(),
                        record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (CoordinatorStore store = client()) {
            assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return store.current("held/scope").orElseThrow().epoch();
                } catch (StoreException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> warnings.stream()
                    .anyMatch(w -> w.startsWith("WARNING") && w.contains("store.lock") && w.contains("waiting")));
            assertThat(call).as("still waiting while the other process holds the lock").isNotDone();
            holder.getOutputStream().close(); // the holder releases and exits
            assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(warnings).anyMatch(w -> w.startsWith("INFO") && w.contains("got its lock after"));
        } finally {
            log.removeHandler(capture);
            holder.destroyForcibly();
        }
    }

    /** Another process that holds the store's lock until its stdin closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0], "store.lock"), StandardOpenOption.WRITE);
                    var lock = channel.lock()) {
                System.out.print("locked\n");
                System.out.flush();
                System.in.read();
            }
        }
    }

    /** Another process granting epochs from the same journal; prints them. */
    public static final class GrantWriter {
        public static void main(String[] args) throws Exception {
            try (CoordinatorStore store = JournalStore.open(Path.of(args[0]))) {
                for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                    System.out.println(store.acquire("race/processes", "writer").epoch());
                }
            }
        }
    }
}
