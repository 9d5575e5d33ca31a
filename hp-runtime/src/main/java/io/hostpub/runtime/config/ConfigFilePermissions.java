package io.hostpub.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Refuses configuration that others on the host could read a password from or replace, as the secret file is
 * refused: a {@code hostpub.xml} holding {@code adminPassword} that group or others may read, and a configuration
 * directory that others may write (they could swap the file, or the secret next to it). A group-writable directory
 * is accepted: with a private group per user (umask 002) that is the owner's own group.
 */
final class ConfigFilePermissions {

    private ConfigFilePermissions() {
    }

    static void check(Path file, Map<String, String> values) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            Set<PosixFilePermission> dir = permissions(directory);
            if (dir != null && dir.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new ConfigException("configuration directory " + directory + " is writable by others (mode "
                        + PosixFilePermissions.toString(dir) + "): anyone could replace the configuration or the"
                        + " secret in it; run: chmod o-w " + directory);
            }
            Set<PosixFilePermission> own = permissions(file);
            for (String key : java.util.List.of("adminPassword", "viewerPassword")) {
                if (own != null && values.containsKey(key) && (own.contains(PosixFilePermission.GROUP_READ)
                        || own.contains(PosixFilePermission.OTHERS_READ))) {
                    throw new ConfigException("configuration " + file + " holds " + key + " and is readable by"
                            + " others (mode " + PosixFilePermissions.toString(own) + "); run: chmod 600 " + file
                            + ", or give " + key + "Hash instead");
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the permissions of " + file + ": " + e.getMessage(), e);
        }
    }

    private static Set<PosixFilePermission> permissions(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        return view == null ? null : view.readAttributes().permissions();
    }
}
