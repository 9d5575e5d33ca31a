package io.hostpub.coordinator.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The store's files are created readable and writable by their owner only (0600): they hold job commands, operator
 * intents and fencing state that nobody else on the host needs to read, let alone write.
 */
final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    static FileChannel open(Path file, OpenOption... options) throws IOException {
        if (!POSIX) {
            return FileChannel.open(file, options);
        }
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        return FileChannel.open(file, Set.of(options), ownerOnly);
    }
}
