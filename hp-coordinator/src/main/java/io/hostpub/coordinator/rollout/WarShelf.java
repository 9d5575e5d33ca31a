package io.hostpub.coordinator.rollout;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.rollout.Rollout;
import io.hostpub.coordinator.api.rollout.WarPiece;
import io.hostpub.coordinator.api.rollout.WarPieceQuery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WAR versions one node keeps under its own home ({@link WarVersions#file}), served in pieces to peer agents that
 * must run a version and lack it. A piece is served only from a file whose SHA-256 is the one asked for, so a peer
 * never receives a half-written or different file under a version's name; the digest of a file is computed once
 * per size and modification time (a version's file is written once and never changed). Versions the application's
 * latest rollout no longer names are deleted ({@link #prune}) when a new one is kept here.
 */
public final class WarShelf {

    private record Digest(long size, FileTime modified, String sha256) {
    }

    private static final System.Logger LOG = System.getLogger(WarShelf.class.getName());

    private final Path home;
    private final Map<Path, Digest> digests = new ConcurrentHashMap<>();

    public WarShelf(Path home) {
        this.home = home;
    }

    /** Where this node keeps version {@code label} of {@code application}. */
    public Path file(String application, String label) {
        return WarVersions.file(home, application, label);
    }

    /**
     * Part of a kept version, from {@code query.offset()}.
     *
     * @throws ClusterRefusal 404 when this node keeps no file of that version with that SHA-256
     */
    public WarPiece piece(WarPieceQuery query) throws IOException {
        Path file = file(query.application(), query.label());
        if (!Files.isRegularFile(file)) {
            throw new ClusterRefusal(404, "version " + query.label() + " of " + query.application()
                    + " is not kept here");
        }
        if (!sha256(file).equals(query.sha256())) {
            throw new ClusterRefusal(404, "version " + query.label() + " of " + query.application()
                    + " is kept here with other content (SHA-256 " + sha256(file) + ")");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (query.offset() > size) {
                throw new IllegalArgumentException("offset " + query.offset() + " is past the end of the file ("
                        + size + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(WarPiece.MAX_DATA, size - query.offset()));
            while (buffer.hasRemaining() && channel.read(buffer, query.offset() + buffer.position()) > 0) {
                // a regular file reads to the end of the buffer
            }
            return new WarPiece(size, query.offset(), Arrays.copyOf(buffer.array(), buffer.position()));
        }
    }

    /**
     * Deletes the versions of the application this node keeps that {@code rollout} no longer names: a member runs
     * only the rollout's previous or new version (or, in its steps, one of them), so older ones only fill the disk.
     *
     * @return the labels deleted
     */
    public List<String> prune(Rollout rollout) throws IOException {
        Set<String> named = new HashSet<>(List.of(rollout.from().label(), rollout.to().label()));
        rollout.members().values().forEach(step -> named.add(step.version()));
        Path directory = WarVersions.file(home, rollout.application(), "x").getParent();
        String prefix = rollout.application() + "##";
        List<String> deleted = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return deleted;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*.war")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String label = name.substring(prefix.length(), name.length() - ".war".length());
                if (!named.contains(label) && Files.deleteIfExists(file)) {
                    digests.remove(file);
                    deleted.add(label);
                }
            }
        }
        if (!deleted.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "versions {0} of {1} deleted from {2}: rollout {3} names only {4}",
                    deleted, rollout.application(), directory, rollout.number(), named);
        }
        return deleted;
    }

    /** The SHA-256 of {@code file}, computed again only when its size or modification time changed. */
    public String sha256(Path file) throws IOException {
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Digest known = digests.get(file);
        if (known != null && known.size() == size && known.modified().equals(modified)) {
            return known.sha256();
        }
        String sha256 = WarVersions.sha256(file);
        digests.put(file, new Digest(size, modified, sha256));
        return sha256;
    }
}
