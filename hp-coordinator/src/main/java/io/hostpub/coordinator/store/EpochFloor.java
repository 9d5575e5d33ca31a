package io.hostpub.coordinator.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest fencing epoch ever granted per scope, in {@code store.epochs} beside the journal. A fence is only as
 * good as the promise that its epoch is never granted again; the journal alone cannot keep it when records are lost
 * (a repair that sets damaged records aside, a file restored from a backup). Every grant raises the floor first, on
 * disk, so the next grant of the scope is above it whatever happened to the journal. Written whole to a temporary
 * file, forced and renamed: a crash leaves the old floor or the new one. Used under the {@link MachineLock}.
 */
final class EpochFloor {

    static final String FILE = "store.epochs";

    private final Path file;

    EpochFloor(Path directory) {
        this.file = directory.resolve(FILE);
    }

    /** The floor of every scope that has one; empty if the file does not exist. */
    Map<String, Long> read() throws IOException {
        Map<String, Long> floors = new TreeMap<>();
        if (!Files.exists(file)) {
            return floors;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int space = trimmed.lastIndexOf(' ');
            try {
                floors.merge(trimmed.substring(0, space), Long.parseLong(trimmed.substring(space + 1)), Math::max);
            } catch (RuntimeException e) {
                throw new IOException(file + ": unreadable line '" + trimmed + "' (expected: scope epoch)", e);
            }
        }
        return floors;
    }

    long floor(String scope) throws IOException {
        return read().getOrDefault(scope, 0L);
    }

    /** Raises the floors of the given scopes (never lowers one) and forces the file before it returns. */
    void raise(Map<String, Long> epochs) throws IOException {
        Map<String, Long> floors = read();
        boolean changed = false;
        for (Map.Entry<String, Long> e : epochs.entrySet()) {
            if (e.getValue() > floors.getOrDefault(e.getKey(), 0L)) {
                floors.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder("# the highest fencing epoch granted per scope: never granted again\n");
        floors.forEach((scope, epoch) -> text.append(scope).append(' ').append(epoch).append('\n'));
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try (FileChannel out = PrivateFiles.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
