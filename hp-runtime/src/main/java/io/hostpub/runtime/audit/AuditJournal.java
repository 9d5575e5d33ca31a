package io.hostpub.runtime.audit;

import io.hostpub.admin.api.json.Json;
import io.hostpub.runtime.config.FileProblems;
import io.hostpub.runtime.files.DirectoryLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The machine's audit journal under {@code <home>/audit}: every state-changing action of the admin pages, the API and
 * {@code hpctl}, one JSON line each, append-only and hash-chained ({@link AuditRecord#hash()}). All the processes of
 * the machine (every clone's admin pages, every {@code hpctl}) append to the same files: an append holds the
 * directory's file lock, reads the last record for its number and hash, writes its line with one write and forces
 * it to disk before the action may run. Files are rotated by size and the oldest are removed beyond a count; the chain
 * runs on across files. Reading and verifying are {@link AuditReader}'s.
 */
public final class AuditJournal {

    public static final String DIRECTORY = "audit";
    public static final long DEFAULT_ROTATE_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_KEEP_FILES = 20;
    private static final System.Logger LOG = System.getLogger(AuditJournal.class.getName());

    private final Path directory;
    private final long rotateBytes;
    private final int keepFiles;
    private final Clock clock;

    public AuditJournal(Path directory, long rotateBytes, int keepFiles, Clock clock) {
        if (rotateBytes < 4096 || keepFiles < 1) {
            throw new IllegalArgumentException("rotate at 4 KiB or more, keep at least one file");
        }
        this.directory = directory.toAbsolutePath().normalize();
        this.rotateBytes = rotateBytes;
        this.keepFiles = keepFiles;
        this.clock = clock;
    }

    /** The journal of an installation home. */
    public static AuditJournal of(Path home) {
        return new AuditJournal(home.resolve(DIRECTORY), DEFAULT_ROTATE_BYTES, DEFAULT_KEEP_FILES, Clock.systemUTC());
    }

    public Path directory() {
        return directory;
    }

    /**
     * Appends the event, on disk when this returns.
     *
     * @throws AuditUnavailable when it cannot be written: the caller must not perform the action
     */
    public AuditRecord append(AuditEvent event) throws AuditUnavailable {
        try {
            return DirectoryLock.holding(directory, AuditFiles.LOCK, () -> appendLocked(event));
        } catch (IOException e) {
            throw new AuditUnavailable("the audit journal " + directory + " cannot record " + event.action()
                    + " (" + FileProblems.describe(e) + "): it was not performed", e);
        }
    }

    private AuditRecord appendLocked(AuditEvent event) throws IOException {
        Path current = directory.resolve(AuditFiles.CURRENT);
        AuditFiles.Tail tail = AuditFiles.tail(current);
        if (tail.torn()) {
            try (FileChannel file = FileChannel.open(current, StandardOpenOption.WRITE)) {
                file.truncate(tail.tornAt());
            }
            LOG.log(System.Logger.Level.WARNING, "audit journal " + current + ": removed a record cut short by a crash"
                    + " (from byte " + tail.tornAt() + ")");
        }
        Optional<AuditRecord> last = lastRecord(tail);
        if (last.isPresent() && Files.isRegularFile(current) && Files.size(current) >= rotateBytes) {
            rotate(current, last.get().seq());
        }
        long seq = last.map(r -> r.seq() + 1).orElse(1L);
        String prev = last.map(AuditRecord::hash).orElse(AuditRecord.GENESIS);
        AuditRecord record = AuditRecord.of(seq, clock.instant(), event, prev);
        String json = new String(Json.write(record.withHash(null)), StandardCharsets.UTF_8);
        if (!json.endsWith(",\"hash\":null}")) {
            throw new IllegalStateException("the hash must be a record's last field: " + json);
        }
        String open = json.substring(0, json.length() - ",\"hash\":null}".length());
        String hash = sha256(open + "}");
        byte[] line = (open + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
        return record.withHash(hash);
    }

    /** The last record written: in the current file, else (just rotated, or new) in the newest rotated one. */
    private Optional<AuditRecord> lastRecord(AuditFiles.Tail currentTail) throws IOException {
        Optional<String> line = currentTail.lastLine();
        if (line.isEmpty()) {
            List<Path> rotated = AuditFiles.rotated(directory);
            if (!rotated.isEmpty()) {
                line = AuditFiles.tail(rotated.get(rotated.size() - 1)).lastLine();
            }
        }
        if (line.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(line.get().getBytes(StandardCharsets.UTF_8), AuditRecord.class));
        } catch (IllegalArgumentException e) {
            throw new IOException("its last record is unreadable (" + e.getMessage() + "); 'hpctl audit --verify'"
                    + " shows where the chain breaks", e);
        }
    }

    private void rotate(Path current, long lastSeq) throws IOException {
        Files.move(current, AuditFiles.rotatedName(directory, lastSeq), StandardCopyOption.ATOMIC_MOVE);
        List<Path> rotated = AuditFiles.rotated(directory);
        for (int i = 0; i < rotated.size() - keepFiles; i++) {
            Files.deleteIfExists(rotated.get(i));
            LOG.log(System.Logger.Level.INFO, "audit journal: removed " + rotated.get(i).getFileName()
                    + " (more than " + keepFiles + " rotated files)");
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
