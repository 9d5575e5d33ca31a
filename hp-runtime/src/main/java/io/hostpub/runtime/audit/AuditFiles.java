package io.hostpub.runtime.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of one journal directory: {@code audit.log} being written, and the rotated ones,
 * {@code audit-<last record's number>.log}, whose names sort in the order of their records.
 */
final class AuditFiles {

    static final String CURRENT = "audit.log";
    static final String LOCK = "audit.lock";
    private static final String ROTATED_PREFIX = "audit-";
    /** {@code ,"hash":"<64 hex>"}} ends every line: the hash field is last, so the body is the line without it. */
    private static final int HASH_SUFFIX = ",\"hash\":\"".length() + 64 + "\"}".length();

    private AuditFiles() {
    }

    /** Every file of the journal, oldest first, the current one last (if it exists). */
    static List<Path> all(Path directory) throws IOException {
        List<Path> files = new ArrayList<>(rotated(directory));
        Path current = directory.resolve(CURRENT);
        if (Files.exists(current)) {
            files.add(current);
        }
        return files;
    }

    static List<Path> rotated(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.getFileName().toString().matches(ROTATED_PREFIX + "\\d{12}\\.log"))
                    .sorted().toList();
        }
    }

    static Path rotatedName(Path directory, long lastSeq) {
        return directory.resolve(String.format("%s%012d.log", ROTATED_PREFIX, lastSeq));
    }

    /** The body a line's hash covers: the line without its last field. */
    static Optional<String> body(String line) {
        if (line.length() <= HASH_SUFFIX || !line.endsWith("\"}")
                || !line.startsWith(",\"hash\":\"", line.length() - HASH_SUFFIX)) {
            return Optional.empty();
        }
        return Optional.of(line.substring(0, line.length() - HASH_SUFFIX) + "}");
    }

    /**
     * The last complete line of {@code file} (empty if none), and whether the file ends in a torn line (a write cut
     * short by a crash) that starts at {@code tornAt}.
     */
    record Tail(Optional<String> lastLine, long tornAt, boolean torn) {
    }

    static Tail tail(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Tail(Optional.empty(), 0, false);
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (size == 0) {
                return new Tail(Optional.empty(), 0, false);
            }
            // the newlines ending the last line and the one before it
            long end = lastNewlineBefore(in, size);
            boolean torn = end != size - 1;
            if (end < 0) {
                return new Tail(Optional.empty(), 0, torn);
            }
            long start = lastNewlineBefore(in, end) + 1;
            byte[] line = new byte[(int) (end - start)];
            in.seek(start);
            in.readFully(line);
            return new Tail(Optional.of(new String(line, StandardCharsets.UTF_8)), end + 1, torn);
        }
    }

    /** The position of the last {@code '\n'} before {@code limit}, or -1. */
    private static long lastNewlineBefore(RandomAccessFile in, long limit) throws IOException {
        byte[] chunk = new byte[8192];
        long position = limit;
        while (position > 0) {
            int length = (int) Math.min(chunk.length, position);
            position -= length;
            in.seek(position);
            in.readFully(chunk, 0, length);
            for (int i = length - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    return position + i;
                }
            }
        }
        return -1;
    }
}
