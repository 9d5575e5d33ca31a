package io.hostpub.coordinator.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.CRC32C;

/**
 * The embedded store: one machine, any number of processes, no server. Every change is a record appended to
 * {@code store.journal} and forced to disk before the call returns; every call first takes an exclusive lock on
 * {@code store.lock} (an OS file lock, so processes exclude each other) and replays what other processes appended
 * since, so the fencing check and the append are one atomic step machine-wide. The lock is held only for that step
 * (reading the new tail, appending to the page cache): the force to disk comes after it is released. A process
 * stopped (SIGSTOP, a debugger) while it holds the lock stops every other process's store calls until it resumes, so
 * the lock is held for microseconds, not for a disk flush; a wait of more than 2 s is logged, naming the lock file.
 * Forcing after the release is safe: a record another process reads before it is durable is lost in a machine crash
 * only together with every later record of the same file, and each call's own record is durable before it returns.
 * A record torn by a crash (short or failing its CRC) can only be the last one: it is cut off. When the journal holds mostly dead records it is rewritten
 * as a snapshot and atomically renamed over the old one; other processes notice the new file and reload it.
 *
 * <p>Record: {@code int length, int crc32c, payload}; payload: {@code byte op, UTF scope, long epoch} then
 * {@code UTF holder} (acquire), {@code UTF key, int n, n bytes} (put) or {@code UTF key} (delete).
 */
public final class JournalStore implements CoordinatorStore {

    private static final System.Logger LOG = System.getLogger(JournalStore.class.getName());
    private static final byte ACQUIRE = 1;
    private static final byte PUT = 2;
    private static final byte DELETE = 3;
    static final int MAX_VALUE = 1 << 20;
    private static final int COMPACT_MIN_RECORDS = 4096;
    private static final java.time.Duration LOCK_WAIT_WARNING = java.time.Duration.ofSeconds(2);
    /** OS file locks belong to the process: threads and store instances of one JVM take turns here first. */
    private static final ConcurrentMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path directory;
    private final Path journalFile;
    private final FileChannel lockChannel;
    private final Object inProcess;
    private final Map<String, ScopeState> scopes = new HashMap<>();
    private FileChannel journal;
    private Object journalKey;
    private long offset;
    private long records;
    private boolean closed;
    /** A record was appended under the lock and still has to be forced (after the lock is released). */
    private boolean unforced;

    private JournalStore(Path directory) throws IOException {
        this.directory = directory;
        this.journalFile = directory.resolve("store.journal");
        Files.createDirectories(directory);
        this.lockChannel = FileChannel.open(directory.resolve("store.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        this.inProcess = IN_PROCESS.computeIfAbsent(directory.toRealPath(), p -> new Object());
    }

    /** Opens (creating if needed) the journal store in {@code directory}. */
    public static JournalStore open(Path directory) throws StoreException {
        try {
            JournalStore store = new JournalStore(directory.toAbsolutePath());
            store.locked(() -> null);
            return store;
        } catch (IOException e) {
            throw new StoreException("cannot open the journal store in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Fence acquire(String scope, String holder) throws StoreException {
        StoreKeys.checkScope(scope);
        return locked(() -> {
            ScopeState state = scopes.get(scope);
            Fence fence = new Fence(scope, state == null ? 1 : state.epoch + 1, holder);
            append(record(ACQUIRE, scope, fence.epoch(), out -> out.writeUTF(holder)));
            apply(ACQUIRE, scope, fence.epoch(), holder, null);
            return fence;
        });
    }

    @Override
    public Optional<Fence> current(String scope) throws StoreException {
        StoreKeys.checkScope(scope);
        return locked(() -> {
            ScopeState state = scopes.get(scope);
            return state == null || state.epoch == 0 ? Optional.empty()
                    : Optional.of(new Fence(scope, state.epoch, state.holder));
        });
    }

    @Override
    public void put(Fence fence, String key, byte[] value) throws StoreException {
        StoreKeys.checkKey(key);
        if (value.length > MAX_VALUE) {
            throw new IllegalArgumentException("value for " + key + " is " + value.length + " bytes, limit " + MAX_VALUE);
        }
        byte[] copy = value.clone();
        locked(() -> {
            checkFence(fence);
            append(record(PUT, fence.scope(), fence.epoch(), out -> {
                out.writeUTF(key);
                out.writeInt(copy.length);
                out.write(copy);
            }));
            apply(PUT, fence.scope(), fence.epoch(), key, copy);
            return null;
        });
    }

    @Override
    public void delete(Fence fence, String key) throws StoreException {
        StoreKeys.checkKey(key);
        locked(() -> {
            checkFence(fence);
            append(record(DELETE, fence.scope(), fence.epoch(), out -> out.writeUTF(key)));
            apply(DELETE, fence.scope(), fence.epoch(), key, null);
            return null;
        });
    }

    @Override
    public Optional<byte[]> get(String scope, String key) throws StoreException {
        StoreKeys.checkScope(scope);
        StoreKeys.checkKey(key);
        return locked(() -> {
            ScopeState state = scopes.get(scope);
            byte[] value = state == null ? null : state.data.get(key);
            return Optional.ofNullable(value == null ? null : value.clone());
        });
    }

    @Override
    public Map<String, byte[]> list(String scope) throws StoreException {
        StoreKeys.checkScope(scope);
        return locked(() -> {
            ScopeState state = scopes.get(scope);
            Map<String, byte[]> copy = new LinkedHashMap<>();
            if (state != null) {
                state.data.forEach((k, v) -> copy.put(k, v.clone()));
            }
            return copy;
        });
    }

    @Override
    public String describe() {
        return "journal " + journalFile;
    }

    @Override
    public void close() {
        synchronized (inProcess) {
            if (closed) {
                return;
            }
            closed = true;
            if (journal != null) {
                try {
                    journal.force(false); // a record whose caller is still forcing it after the lock
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "journal store {0}: cannot force it on close: {1}", journalFile,
                            e.getMessage());
                }
            }
            closeQuietly(journal);
            closeQuietly(lockChannel);
        }
    }

    private void checkFence(Fence fence) throws StaleEpochException {
        ScopeState state = scopes.get(fence.scope());
        long current = state == null ? 0 : state.epoch;
        if (current != fence.epoch()) {
            throw new StaleEpochException(fence, current);
        }
    }

    private interface Step<T> {
        T run() throws IOException, StoreException;
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private <T> T locked(Step<T> step) throws StoreException {
        T result;
        FileChannel toForce = null;
        synchronized (inProcess) {
            if (closed) {
                throw new StoreException("the journal store in " + directory + " is closed");
            }
            try (FileLock ignored = lockFile()) {
                catchUp();
                result = step.run();
                compactIfWorthIt();
                if (unforced) {
                    toForce = journal; // null if compacted: the snapshot holding the record was forced
                    unforced = false;
                }
            } catch (IOException e) {
                throw new StoreException("journal store " + journalFile + ": " + e.getMessage(), e);
            }
        }
        if (toForce != null) {
            try {
                toForce.force(false);
            } catch (java.nio.channels.ClosedChannelException compactedOrClosed) {
                // another thread compacted the journal (forcing the snapshot that holds the record) or closed the
                // store (forcing the journal first) meanwhile
            } catch (IOException e) {
                throw new StoreException("journal store " + journalFile + ": cannot force the record to disk: "
                        + e.getMessage(), e);
            }
        }
        return result;
    }

    /** The machine-wide lock; a wait of more than {@link #LOCK_WAIT_WARNING} is logged once per call. */
    private FileLock lockFile() throws IOException {
        long start = System.nanoTime();
        boolean warned = false;
        FileLock lock;
        while ((lock = lockChannel.tryLock()) == null) {
            long waited = System.nanoTime() - start;
            if (!warned && waited >= LOCK_WAIT_WARNING.toNanos()) {
                LOG.log(Level.WARNING, "journal store {0}: another process has held its lock {1} for {2} ms (a stopped "
                        + "or hung process? `fuser {1}` names it); waiting", journalFile, directory.resolve("store.lock"),
                        waited / 1_000_000);
                warned = true;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the lock of " + journalFile);
            }
        }
        if (warned) {
            LOG.log(Level.INFO, "journal store {0}: got its lock after {1} ms", journalFile,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return lock;
    }

    /** Replays what was appended since this process last looked (reloading everything if the file was replaced). */
    private void catchUp() throws IOException {
        Object key = Files.exists(journalFile)
                ? Files.readAttributes(journalFile, BasicFileAttributes.class).fileKey() : null;
        if (journal == null || key == null || !key.equals(journalKey)) {
            closeQuietly(journal);
            journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            journalKey = Files.readAttributes(journalFile, BasicFileAttributes.class).fileKey();
            scopes.clear();
            offset = 0;
            records = 0;
        }
        long size = journal.size();
        if (size == offset) {
            return;
        }
        ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(size - offset));
        while (tail.hasRemaining() && journal.read(tail, offset + tail.position()) >= 0) {
            // read all
        }
        tail.flip();
        long good = offset;
        while (tail.remaining() >= 8) {
            int length = tail.getInt();
            int crc = tail.getInt();
            if (length < 0 || length > MAX_VALUE + 4096 || length > tail.remaining()) {
                break;
            }
            byte[] payload = new byte[length];
            tail.get(payload);
            CRC32C check = new CRC32C();
            check.update(payload);
            if ((int) check.getValue() != crc) {
                break;
            }
            replay(payload);
            good += 8 + length;
            records++;
        }
        if (good != size) {
            LOG.log(Level.WARNING, "journal store {0}: cutting a torn record at offset {1} ({2} bytes, a write"
                    + " interrupted by a crash)", journalFile, good, size - good);
            journal.truncate(good);
            journal.force(true);
        }
        offset = good;
    }

    private void replay(byte[] payload) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        byte op = in.get();
        String scope = readUtf(in);
        long epoch = in.getLong();
        switch (op) {
            case ACQUIRE:
                apply(op, scope, epoch, readUtf(in), null);
                break;
            case PUT: {
                String key = readUtf(in);
                byte[] value = new byte[in.getInt()];
                in.get(value);
                apply(op, scope, epoch, key, value);
                break;
            }
            case DELETE:
                apply(op, scope, epoch, readUtf(in), null);
                break;
            default:
                throw new IOException("journal " + journalFile + " has a record with unknown operation " + op);
        }
    }

    private static String readUtf(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] bytes = new byte[length];
        in.get(bytes);
        // writeUTF's modified UTF-8 equals UTF-8 for the validated names and holders written here
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void apply(byte op, String scope, long epoch, String text, byte[] value) {
        ScopeState state = scopes.computeIfAbsent(scope, s -> new ScopeState());
        switch (op) {
            case ACQUIRE:
                state.epoch = epoch;
                state.holder = text;
                break;
            case PUT:
                state.data.put(text, value);
                break;
            case DELETE:
                state.data.remove(text);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static byte[] record(byte op, String scope, long epoch, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(op);
            out.writeUTF(scope);
            out.writeLong(epoch);
            body.write(out);
        }
        return bytes.toByteArray();
    }

    private void append(byte[] payload) throws IOException {
        ByteBuffer frame = frame(payload);
        long at = offset;
        while (frame.hasRemaining()) {
            at += journal.write(frame, at);
        }
        unforced = true; // forced once the lock is released
        offset = at;
        records++;
    }

    private static ByteBuffer frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(8 + payload.length);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        return frame;
    }

    /** Rewrites the journal as a snapshot when fewer than half its records are still live. */
    private void compactIfWorthIt() throws IOException {
        long live = scopes.values().stream().mapToLong(s -> 1 + s.data.size()).sum();
        if (records < COMPACT_MIN_RECORDS || records < 2 * live) {
            return;
        }
        Path snapshot = directory.resolve("store.journal.compacting");
        long count = 0;
        try (FileChannel out = FileChannel.open(snapshot, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (Map.Entry<String, ScopeState> scope : new TreeMap<>(scopes).entrySet()) {
                ScopeState state = scope.getValue();
                if (state.epoch > 0) {
                    writeFully(out, frame(record(ACQUIRE, scope.getKey(), state.epoch,
                            o -> o.writeUTF(state.holder))));
                    count++;
                }
                for (Map.Entry<String, byte[]> entry : state.data.entrySet()) {
                    writeFully(out, frame(record(PUT, scope.getKey(), state.epoch, o -> {
                        o.writeUTF(entry.getKey());
                        o.writeInt(entry.getValue().length);
                        o.write(entry.getValue());
                    })));
                    count++;
                }
            }
            out.force(true);
        }
        try {
            Files.move(snapshot, journalFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(snapshot, journalFile, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
        LOG.log(Level.INFO, "journal store {0}: compacted {1} records to {2}", journalFile, records, count);
        closeQuietly(journal);
        journal = null; // reopened (and replayed) by the next call
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static final class ScopeState {
        long epoch;
        String holder = "";
        final TreeMap<String, byte[]> data = new TreeMap<>();
    }
}
