package io.hostpub.admin.api.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The machine secret shared by every instance of an installation (and by every machine administered
 * together). Stored as hex text in a file readable by its owner only.
 */
public final class InstallationSecret {

    private static final int SECRET_BYTES = 32;
    private static final String HMAC = "HmacSHA256";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKeySpec key;
    private final Path source;

    private InstallationSecret(byte[] secret, Path source) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret must have at least 16 bytes, has " + secret.length);
        }
        this.key = new SecretKeySpec(secret, HMAC);
        this.source = source;
    }

    /** A secret held in memory (tests, embedding). */
    public static InstallationSecret of(byte[] secret) {
        return new InstallationSecret(secret.clone(), null);
    }

    /**
     * Reads the secret file, creating it (mode 0600, atomically, so racing instances agree on one secret)
     * if it does not exist.
     *
     * @throws IOException if the file cannot be read or created, or if group or others may read it
     */
    public static InstallationSecret loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return load(file);
    }

    /** Reads an existing secret file, refusing one that group or others can read. */
    public static InstallationSecret load(Path file) throws IOException {
        OwnerOnlyFiles.require(file, "secret file");
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return new InstallationSecret(HexFormat.of().parseHex(text), file);
        } catch (IllegalArgumentException e) {
            throw new IOException("secret file " + file + " does not hold a hex secret of at least 16 bytes");
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        Path temp = Files.createTempFile(dir, ".secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temp, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException raceLost) {
            // another instance created it first: use theirs
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** HMAC-SHA256 over the concatenation of the parts. */
    public byte[] mac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of a received MAC with the expected one. */
    public boolean verify(byte[] received, byte[]... parts) {
        return MessageDigest.isEqual(mac(parts), received);
    }

    /** A short non-secret fingerprint, for logs: the first bytes of HMAC("fingerprint"). */
    public String fingerprint() {
        return HexFormat.of().formatHex(Arrays.copyOf(mac("fingerprint".getBytes(StandardCharsets.US_ASCII)), 4));
    }

    @Override
    public String toString() {
        return "InstallationSecret[" + (source == null ? "in-memory" : source) + ", fingerprint=" + fingerprint() + "]";
    }
}
