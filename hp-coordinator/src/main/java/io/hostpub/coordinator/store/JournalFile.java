package io.hostpub.coordinator.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * {@code store.journal} as this process has read it: how far, and which file (a compaction by any process replaces
 * it, which shows as another file key). Used under the {@link MachineLock} only.
 */
final class JournalFile {

    private static final System.Logger LOG = System.getLogger(JournalFile.class.getName());

    private final Path path;
    private FileChannel channel;
    private Object fileKey;
    private long offset;
    private long records;
    /** A record was appended and still has to be forced (after the lock is released). */
    private boolean unforced;
    /** Set when the file is damaged inside: every later call fails with it until the file is replaced. */
    private JournalDamagedException damage;

    JournalFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Records read or written since the file was (re)opened. */
    long records() {
        return records;
    }

    /**
     * Replays what was appended since this process last looked; when the file was replaced, first tells
     * {@code reset} and replays it from the start. A torn last record (short, or failing its CRC, with nothing intact
     * after it) is cut off; a bad record followed by intact ones is damage, reported and left as it is.
     *
     * @throws JournalDamagedException if the file is damaged inside
     */
    void catchUp(Runnable reset, Consumer<JournalRecord> apply) throws IOException {
        Object key = Files.exists(path) ? Files.readAttributes(path, BasicFileAttributes.class).fileKey() : null;
        if (channel == null || key == null || !key.equals(fileKey)) {
            close();
            channel = PrivateFiles.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            reset.run();
            damage = null;
            offset = 0;
            records = 0;
        }
        if (damage != null) {
            throw damage; // until the file is replaced (repaired)
        }
        long size = channel.size();
        if (size == offset) {
            return;
        }
        ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(size - offset));
        while (tail.hasRemaining() && channel.read(tail, offset + tail.position()) >= 0) {
            // read all
        }
        tail.flip();
        byte[] payload;
        while ((payload = JournalRecord.nextPayload(tail)) != null) {
            apply.accept(JournalRecord.decode(payload));
            records++;
        }
        long good = offset + tail.position();
        if (good != size) {
            int intact = JournalRecord.intactFrameAfter(tail, tail.position());
            if (intact >= 0) {
                // what came before the damage stays applied; the damage is reported on every call
                damage = new JournalDamagedException(path, good, offset + intact, size);
                offset = good;
                throw damage;
            }
            LOG.log(Level.WARNING, "journal store {0}: cutting a torn record at offset {1} ({2} bytes, a write"
                    + " interrupted by a crash or a full disk)", path, good, size - good);
            channel.truncate(good);
            channel.force(true);
        }
        offset = good;
    }

    /** Appends to the page cache; {@link #takeUnforced()} then says what to force. */
    void append(JournalRecord record) throws IOException {
        ByteBuffer frame = record.frame();
        long at = offset;
        while (frame.hasRemaining()) {
            at += channel.write(frame, at);
        }
        unforced = true;
        offset = at;
        records++;
    }

    /** The channel to force once the lock is released, if a record was appended to it (then forgets it). */
    FileChannel takeUnforced() {
        FileChannel toForce = unforced ? channel : null; // null if compacted: the snapshot was forced
        unforced = false;
        return toForce;
    }

    /** Forces what a caller may still be forcing after the lock; used on close. */
    void force() {
        if (channel != null) {
            try {
                channel.force(false);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal store {0}: cannot force it: {1}", path, e.getMessage());
            }
        }
    }

    /** Closes the channel; the next {@link #catchUp} reopens and replays the file. */
    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
            channel = null;
        }
    }
}
