package io.hostpub.coordinator.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Rewrites a journal that holds mostly dead records as a snapshot of the live ones (each scope's fence and its
 * entries), forced to disk and atomically renamed over the old file; other processes notice the new file (another
 * file key) and reload it. Called under the machine lock.
 */
final class JournalCompactor {

    private static final System.Logger LOG = System.getLogger(JournalCompactor.class.getName());
    /** Below this many records a journal is never rewritten. */
    static final int MIN_RECORDS = 4096;

    private JournalCompactor() {
    }

    /** Whether a journal of {@code records} records of which {@code live} are live is worth rewriting. */
    static boolean worthIt(long records, long live) {
        return records >= MIN_RECORDS && records >= 2 * live;
    }

    /** Writes {@code live} as the new {@code journal}; returns how many records it holds. */
    static long rewrite(Path journal, List<JournalRecord> live, long records) throws IOException {
        Path directory = journal.getParent();
        Path snapshot = directory.resolve(journal.getFileName() + ".compacting");
        try (FileChannel out = PrivateFiles.open(snapshot, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (JournalRecord record : live) {
                ByteBuffer frame = record.frame();
                while (frame.hasRemaining()) {
                    out.write(frame);
                }
            }
            out.force(true);
        }
        try {
            Files.move(snapshot, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(snapshot, journal, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
        LOG.log(Level.INFO, "journal store {0}: compacted {1} records to {2}", journal, records, live.size());
        return live.size();
    }
}
