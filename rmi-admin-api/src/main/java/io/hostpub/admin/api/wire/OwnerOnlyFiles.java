package io.hostpub.admin.api.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files holding secrets (the installation secret, key store passwords) must be readable by their owner only. */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /**
     * Refuses {@code file} when group or others may read or write it (on file systems with POSIX permissions).
     *
     * @param what what the file is, for the message ("secret file")
     */
    public static void require(Path file, String what) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> perms = posix.readAttributes().permissions();
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException(what + " " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
            }
        }
    }
}
