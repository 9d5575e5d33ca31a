package io.hostpub.coordinator.store;

import io.hostpub.lifecycle.LifeCycle;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded store: one machine, any number of processes, no server. Every change is a {@link JournalRecord}
 * appended to {@code store.journal} and forced to disk before the call returns; every call first takes the
 * {@link MachineLock} and replays what other processes appended since, so the fencing check and the append are one
 * atomic step machine-wide. The lock is held only for that step (reading the new tail, appending to the page cache):
 * the force to disk comes after it is released. A process stopped (SIGSTOP, a debugger) while it holds the lock stops
 * every other process's store calls until it resumes, so the lock is held for microseconds, not for a disk flush.
 * Forcing after the release is safe: a record another process reads before it is durable is lost in a machine crash
 * only together with every later record of the same file, and each call's own record is durable before it returns.
 * A record torn by a crash (short or failing its CRC) can only be the last one: it is cut off. A bad record with
 * intact ones after it is damage, not a crash: every call fails with a {@link JournalDamagedException} naming the file
 * and offset, and nothing changes until an operator runs the {@link JournalRepair}. Fencing epochs are also kept in
 * an {@link EpochFloor}, forced before each grant (the one store call that forces under the lock; grants are rare),
 * so no epoch is granted twice whatever happens to the journal. When the journal holds mostly dead records the
 * {@link JournalCompactor} rewrites it.
 */
public final class JournalStore extends LifeCycle<StoreException> implements CoordinatorStore {

    static final int MAX_VALUE = JournalRecord.MAX_VALUE;

    private final Path directory;
    private final JournalFile journal;
    private final EpochFloor floor;
    private final Map<String, ScopeState> scopes = new HashMap<>();
    private MachineLock lock;

    private JournalStore(Path directory) {
        super("journal store " + directory);
        this.directory = directory;
        this.journal = new JournalFile(directory.resolve("store.journal"));
        this.floor = new EpochFloor(directory);
    }

    /** Opens (creating if needed) the journal store in {@code directory}. */
    public static JournalStore open(Path directory) throws StoreException {
        JournalStore store = new JournalStore(directory.toAbsolutePath());
        store.start();
        return store;
    }

    @Override
    protected void doStart() throws StoreException {
        try {
            Files.createDirectories(directory);
            lock = new MachineLock(directory);
        } catch (IOException e) {
            throw new StoreException("cannot open the journal store in " + directory + ": " + e.getMessage(), e);
        }
        locked(() -> null);
    }

    @Override
    public Fence acquire(String scope, String holder) throws StoreException {
        StoreKeys.checkScope(scope);
        return locked(() -> {
            ScopeState state = scopes.get(scope);
            long next = Math.max(state == null ? 0 : state.epoch, floor.floor(scope)) + 1;
            floor.raise(Map.of(scope, next)); // on disk before the grant: never granted again, whatever the journal
            Fence fence = new Fence(scope, next, holder);
            append(JournalRecord.acquire(scope, fence.epoch(), holder));
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
            append(JournalRecord.put(fence.scope(), fence.epoch(), key, copy));
            return null;
        });
    }

    @Override
    public void delete(Fence fence, String key) throws StoreException {
        StoreKeys.checkKey(key);
        locked(() -> {
            checkFence(fence);
            append(JournalRecord.delete(fence.scope(), fence.epoch(), key));
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
        return "journal " + journal.path();
    }

    /** Forces what callers may still be forcing after the lock, then closes the files. */
    @Override
    protected void doStop() {
        if (lock == null) {
            return;
        }
        synchronized (lock.inProcess()) {
            journal.force();
            journal.close();
            lock.close();
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

    private <T> T locked(Step<T> step) throws StoreException {
        T result;
        FileChannel toForce = null;
        synchronized (lock.inProcess()) {
            if (isStopped()) {
                throw new StoreException("the journal store in " + directory + " is closed");
            }
            try (FileLock ignored = lock.lock()) {
                journal.catchUp(scopes::clear, this::apply);
                result = step.run();
                compactIfWorthIt();
                toForce = journal.takeUnforced();
            } catch (JournalDamagedException e) {
                throw new StoreException(e.getMessage(), e);
            } catch (IOException e) {
                throw new StoreException("journal store " + journal.path() + ": " + e.getMessage(), e);
            }
        }
        if (toForce != null) {
            try {
                toForce.force(false);
            } catch (ClosedChannelException compactedOrClosed) {
                // another thread compacted the journal (forcing the snapshot that holds the record) or closed the
                // store (forcing the journal first) meanwhile
            } catch (IOException e) {
                throw new StoreException("journal store " + journal.path() + ": cannot force the record to disk: "
                        + e.getMessage(), e);
            }
        }
        return result;
    }

    private void apply(JournalRecord record) {
        ScopeState state = scopes.computeIfAbsent(record.scope(), s -> new ScopeState());
        switch (record.op()) {
            case ACQUIRE -> {
                state.epoch = record.epoch();
                state.holder = record.text();
            }
            case PUT -> state.data.put(record.text(), record.value());
            case DELETE -> state.data.remove(record.text());
        }
    }

    private void append(JournalRecord record) throws IOException {
        journal.append(record); // forced once the lock is released
        apply(record);
    }

    /** Rewrites the journal as a snapshot when fewer than half its records are still live. */
    private void compactIfWorthIt() throws IOException {
        long live = scopes.values().stream().mapToLong(s -> 1 + s.data.size()).sum();
        if (!JournalCompactor.worthIt(journal.records(), live)) {
            return;
        }
        List<JournalRecord> snapshot = new ArrayList<>();
        for (Map.Entry<String, ScopeState> scope : new TreeMap<>(scopes).entrySet()) {
            ScopeState state = scope.getValue();
            if (state.epoch > 0) {
                snapshot.add(JournalRecord.acquire(scope.getKey(), state.epoch, state.holder));
            }
            state.data.forEach((key, value) -> snapshot.add(JournalRecord.put(scope.getKey(), state.epoch, key,
                    value)));
        }
        JournalCompactor.rewrite(journal.path(), snapshot, journal.records());
        journal.close(); // reopened (and replayed) by the next call
    }

    private static final class ScopeState {
        long epoch;
        String holder = "";
        final TreeMap<String, byte[]> data = new TreeMap<>();
    }
}
