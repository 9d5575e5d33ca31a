package io.hostpub.coordinator.rollout;

import io.hostpub.coordinator.api.rollout.Rollout.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The versions of the applications' WARs, kept under the installation home as Tomcat names parallel deployments:
 * {@code <home>/wars/<app>/<app>##<version>.war}. A version's file is written once (copied, then moved into place) and
 * never changed: the same version again must be the same bytes.
 */
public final class WarVersions {

    private WarVersions() {
    }

    /** Where version {@code label} of {@code application} is kept. */
    public static Path file(Path home, String application, String label) {
        return home.resolve("wars").resolve(application).resolve(application + "##" + label + ".war");
    }

    /**
     * Checks that {@code war} is a WAR and keeps it as version {@code label} of {@code application}.
     *
     * @throws IllegalArgumentException for a file that is not a WAR, or a version kept already with other bytes
     */
    public static Version keep(Path home, String application, String label, Path war) throws IOException {
        checkWar(war);
        String sha256 = sha256(war);
        Path target = file(home, application, label);
        Version version = new Version(label, target.toAbsolutePath().toString(), sha256);
        if (Files.exists(target)) {
            if (!sha256(target).equals(sha256)) {
                throw new IllegalArgumentException("version " + label + " of " + application + " is kept already ("
                        + target + ") with other content; give this WAR a version of its own (--version)");
            }
            return version;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".incoming-", ".war");
        try {
            Files.copy(war, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return version;
    }

    /** A WAR is a ZIP archive with a {@code WEB-INF/} directory. */
    static void checkWar(Path war) throws IOException {
        if (!Files.isRegularFile(war)) {
            throw new IllegalArgumentException(war + " is not a file");
        }
        try (ZipFile zip = new ZipFile(war.toFile())) {
            if (zip.stream().noneMatch(entry -> entry.getName().startsWith("WEB-INF/"))) {
                throw new IllegalArgumentException(war + " is not a WAR: the archive has no WEB-INF/");
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(war + " is not a WAR: not a ZIP archive (" + e.getMessage() + ")");
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
