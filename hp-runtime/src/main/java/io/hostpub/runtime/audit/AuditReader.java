package io.hostpub.runtime.audit;

import io.hostpub.admin.api.json.Json;
import io.hostpub.runtime.files.DirectoryLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the audit journal of a directory: the newest records a filter keeps, and the walk along its chain. */
public final class AuditReader {

    public static final int MAX_LIMIT = 10_000;

    private final Path directory;

    public AuditReader(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public static AuditReader of(Path home) {
        return new AuditReader(home.resolve(AuditJournal.DIRECTORY));
    }

    /**
     * The newest {@code limit} records the filter keeps, newest first. A line being written at this moment (no newline
     * yet) is not read; unreadable lines are skipped here and reported by {@link #verify()}.
     */
    public List<AuditRecord> newest(AuditFilter filter, int limit) throws IOException {
        int kept = Math.max(1, Math.min(limit, MAX_LIMIT));
        List<AuditRecord> newest = new ArrayList<>(kept);
        List<Path> files = AuditFiles.all(directory);
        // newest file first, its lines from the end: a page of the newest records reads no more than it needs
        for (int f = files.size() - 1; f >= 0 && newest.size() < kept; f--) {
            List<String> lines = completeLines(files.get(f));
            for (int i = lines.size() - 1; i >= 0 && newest.size() < kept; i--) {
                parse(lines.get(i)).filter(filter::accepts).ifPresent(newest::add);
            }
        }
        return newest;
    }

    /**
     * Walks the chain from the oldest record kept to the newest, holding the journal's lock so no append is half
     * written meanwhile: every line must parse, carry the hash of its own body, the number after the one before and
     * the hash of the one before. The first record kept starts the chain (its predecessors may have been rotated
     * away) unless it is record #1, whose predecessor is {@link AuditRecord#GENESIS}.
     */
    public AuditVerification verify() throws IOException {
        if (!Files.isDirectory(directory)) {
            return new AuditVerification(0, 0, 0, 0, Optional.empty());
        }
        return DirectoryLock.holding(directory, AuditFiles.LOCK, this::walk);
    }

    private AuditVerification walk() throws IOException {
        List<Path> files = AuditFiles.all(directory);
        long count = 0;
        long first = 0;
        AuditRecord previous = null;
        for (Path file : files) {
            // malformed bytes are replaced: garbage in a file is a broken record to report, not an error
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            boolean torn = !text.isEmpty() && !text.endsWith("\n");
            List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
            int complete = torn ? lines.size() - 1 : lines.size() - (text.isEmpty() ? 0 : 1);
            for (int number = 1; number <= complete; number++) {
                String line = lines.get(number - 1);
                String where = "line " + number + " of " + file.getFileName();
                Optional<String> problem = problem(line, previous);
                if (problem.isPresent()) {
                    String which = parse(line).map(r -> "record #" + r.seq() + " (" + where + ")").orElse(where);
                    return new AuditVerification(count, files.size(), first, previous == null ? 0 : previous.seq(),
                            Optional.of(which + ": " + problem.get()));
                }
                previous = parse(line).orElseThrow();
                first = count == 0 ? previous.seq() : first;
                count++;
            }
            if (torn) {
                return new AuditVerification(count, files.size(), first, previous == null ? 0 : previous.seq(),
                        Optional.of("the last line of " + file.getFileName() + " is cut short (a write interrupted by"
                                + " a crash; the next append removes it)"));
            }
        }
        return new AuditVerification(count, files.size(), first, previous == null ? 0 : previous.seq(),
                Optional.empty());
    }

    /** What is wrong with a line that follows {@code previous} (null: the first kept); empty if nothing. */
    private static Optional<String> problem(String line, AuditRecord previous) {
        Optional<String> body = AuditFiles.body(line);
        Optional<AuditRecord> record = parse(line);
        if (body.isEmpty() || record.isEmpty()) {
            return Optional.of("not a journal record");
        }
        AuditRecord r = record.get();
        if (!AuditJournal.sha256(body.get()).equals(r.hash())) {
            return Optional.of("its hash does not match its content (the record was edited)");
        }
        if (previous == null) {
            return r.seq() == 1 && !AuditRecord.GENESIS.equals(r.prev())
                    ? Optional.of("the first record does not start the chain") : Optional.empty();
        }
        if (r.seq() != previous.seq() + 1) {
            return Optional.of("follows record #" + previous.seq() + " (records removed or reordered)");
        }
        if (!r.prev().equals(previous.hash())) {
            return Optional.of("does not carry the hash of record #" + previous.seq()
                    + " (a record before it was edited or replaced)");
        }
        return Optional.empty();
    }

    private static Optional<AuditRecord> parse(String line) {
        try {
            return Optional.of(Json.read(line.getBytes(StandardCharsets.UTF_8), AuditRecord.class));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The file's lines that end in a newline (a line being appended right now is left for the next read). */
    private static List<String> completeLines(Path file) throws IOException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException rotatedMeanwhile) {
            return List.of();
        }
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }
}
