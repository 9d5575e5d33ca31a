package io.hostpub.admin.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Logins ended by a logout, for every clone of the machine: a login cookie is valid on each clone that shares the
 * secret, so clearing it in one browser left a copied cookie (and its CSRF token) working on every clone for up to
 * 8 hours. A logout appends the login's nonce and expiry to {@code revoked-logins} next to the secret (0600); every
 * clone reads the file again when it changed and refuses a revoked login. A browser sends a host's cookie to that
 * host only, so the machine's clones are all that can see it. Entries are dropped once their login has expired.
 */
final class RevokedLogins {

    static final String FILE = "revoked-logins";
    /** Rewritten without expired entries once it grows past this. */
    private static final long COMPACT_BYTES = 64 * 1024;

    private final Path file;
    private final Clock clock;
    private Snapshot snapshot = new Snapshot(-1, -1, Map.of());

    private record Snapshot(long modified, long size, Map<String, Long> expiries) {
    }

    RevokedLogins(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    synchronized boolean revoked(String nonce) {
        return current().expiries().containsKey(nonce);
    }

    /** Ends a login on every clone of the machine. */
    synchronized void revoke(String nonce, long expiryEpochSecond) throws IOException {
        byte[] line = (nonce + " " + expiryEpochSecond + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                var lock = out.lock()) {
            out.write(ByteBuffer.wrap(line));
            if (out.size() > COMPACT_BYTES) {
                compact(out);
            }
            out.force(false);
        }
        snapshot = new Snapshot(-1, -1, Map.of()); // read again, with what other clones added
    }

    private Snapshot current() {
        try {
            if (!Files.exists(file)) {
                return snapshot = new Snapshot(-1, -1, Map.of());
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            long size = Files.size(file);
            if (modified != snapshot.modified() || size != snapshot.size()) {
                snapshot = new Snapshot(modified, size, read());
            }
        } catch (IOException e) {
            // unreadable now: keep what was known (a revoked login stays revoked)
        }
        return snapshot;
    }

    private Map<String, Long> read() throws IOException {
        Map<String, Long> expiries = new HashMap<>();
        long now = clock.instant().getEpochSecond();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2) {
                try {
                    long expiry = Long.parseLong(parts[1]);
                    if (expiry >= now) {
                        expiries.put(parts[0], expiry);
                    }
                } catch (NumberFormatException ignored) {
                    // a torn last line: the logout that wrote it is retried by its user
                }
            }
        }
        return expiries;
    }

    /** Called with the file locked: keeps the entries whose logins have not expired. */
    private void compact(FileChannel out) throws IOException {
        StringBuilder live = new StringBuilder();
        read().forEach((nonce, expiry) -> live.append(nonce).append(' ').append(expiry).append('\n'));
        out.truncate(0);
        out.write(ByteBuffer.wrap(live.toString().getBytes(StandardCharsets.US_ASCII)), 0);
    }
}
