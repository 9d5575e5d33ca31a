package io.hostpub.runtime.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock of a directory that several processes of a machine write (the audit journal, the machine's event
 * journal): an OS lock on a file in it, which processes exclude each other with; the threads of one JVM first take
 * turns on a monitor per directory, because an OS file lock belongs to the process (a second lock from the same JVM
 * fails with {@code OverlappingFileLockException}).
 */
public final class DirectoryLock {

    private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    /** What runs with the lock held. */
    public interface Locked<T> {
        T run() throws IOException;
    }

    private DirectoryLock() {
    }

    /** Runs {@code action} holding {@code directory}'s lock file {@code lockFile}, creating the directory if need be. */
    public static <T> T holding(Path directory, String lockFile, Locked<T> action) throws IOException {
        Path key = directory.toAbsolutePath().normalize();
        synchronized (IN_PROCESS.computeIfAbsent(key, d -> new Object())) {
            Files.createDirectories(key);
            try (FileChannel channel = FileChannel.open(key.resolve(lockFile), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return action.run();
            }
        }
    }
}
