package io.hostpub.coordinator.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator's explicit repair of a damaged {@code store.journal} ({@code hpctl cluster repair-journal}): keeps the
 * intact records before the first damaged one, sets everything from there on aside in
 * {@code store.journal.damaged-OFFSET} (nothing is deleted), and raises the {@link EpochFloor} above every epoch an
 * intact record of the set-aside part still names, so no fencing epoch is granted twice. Takes the machine lock, so
 * running agents and coordinators simply replay the repaired file at their next store call.
 */
public final class JournalRepair {

    /** What a repair did. {@code setAside} is null when the journal was intact and nothing was changed. */
    public record Report(Path journal, long damagedAt, long recordsKept, long bytesSetAside, Path setAside,
            Map<String, Long> floorsRaised) {
    }

    private JournalRepair() {
    }

    public static Report repair(Path directory) throws IOException {
        Path journal = directory.toAbsolutePath().resolve("store.journal");
        if (!Files.exists(journal)) {
            throw new IOException("no journal store in " + directory + " (" + journal + " does not exist)");
        }
        try (MachineLock lock = new MachineLock(journal.getParent())) {
            synchronized (lock.inProcess()) {
                try (FileLock ignored = lock.lock()) {
                    return repairLocked(journal);
                }
            }
        }
    }

    private static Report repairLocked(Path journal) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(journal));
        long kept = 0;
        while (JournalRecord.nextPayload(all) != null) {
            kept++;
        }
        int bad = all.position();
        if (bad == all.limit()) {
            return new Report(journal, -1, kept, 0, null, Map.of());
        }
        // every epoch the set-aside part still names intact stays granted
        Map<String, Long> epochs = new HashMap<>();
        for (int p = JournalRecord.intactFrameAfter(all, bad); p >= 0; p = JournalRecord.intactFrameAfter(all, p)) {
            byte[] payload = new byte[all.getInt(p)];
            all.get(p + JournalRecord.FRAME_HEADER, payload);
            JournalRecord record = JournalRecord.decode(payload);
            epochs.merge(record.scope(), record.epoch(), Math::max);
        }
        Path setAside = journal.resolveSibling("store.journal.damaged-" + bad);
        write(setAside, all.array(), bad, all.limit() - bad);
        new EpochFloor(journal.getParent()).raise(epochs);
        Path repaired = journal.resolveSibling("store.journal.repaired");
        write(repaired, all.array(), 0, bad);
        Files.move(repaired, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Report(journal, bad, kept, all.limit() - bad, setAside, epochs);
    }

    private static void write(Path file, byte[] bytes, int from, int length) throws IOException {
        try (FileChannel out = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer slice = ByteBuffer.wrap(bytes, from, length);
            while (slice.hasRemaining()) {
                out.write(slice);
            }
            out.force(true);
        }
    }
}
