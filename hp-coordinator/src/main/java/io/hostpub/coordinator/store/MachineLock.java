package io.hostpub.coordinator.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The embedded store's machine-wide lock: an OS lock on {@code store.lock}, which processes exclude each other with;
 * threads and store instances of one JVM first take turns on {@link #inProcess()} (an OS file lock belongs to the
 * process). A wait of more than {@link #WAIT_WARNING} is logged once per call, naming the lock file.
 */
final class MachineLock implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MachineLock.class.getName());
    static final Duration WAIT_WARNING = Duration.ofSeconds(2);
    private static final ConcurrentMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final Object inProcess;

    MachineLock(Path directory) throws IOException {
        this.file = directory.resolve("store.lock");
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.inProcess = IN_PROCESS.computeIfAbsent(directory.toRealPath(), p -> new Object());
    }

    /** What this JVM's users of the same store directory synchronize on before they take the OS lock. */
    Object inProcess() {
        return inProcess;
    }

    /** Takes the OS lock, waiting (1 ms steps) while another process holds it. */
    FileLock lock() throws IOException {
        long start = System.nanoTime();
        boolean warned = false;
        FileLock lock;
        while ((lock = channel.tryLock()) == null) {
            long waited = System.nanoTime() - start;
            if (!warned && waited >= WAIT_WARNING.toNanos()) {
                LOG.log(Level.WARNING, "journal store: another process has held its lock {0} for {1} ms (a stopped "
                        + "or hung process? `fuser {0}` names it); waiting", file, waited / 1_000_000);
                warned = true;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the lock " + file);
            }
        }
        if (warned) {
            LOG.log(Level.INFO, "journal store: got its lock after {1} ms ({0})", file,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return lock;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
