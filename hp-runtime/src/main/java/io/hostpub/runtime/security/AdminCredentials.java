package io.hostpub.runtime.security;

import io.hostpub.runtime.config.ConfigException;
import io.hostpub.runtime.config.RuntimeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * One account of {@code /hpadmin}, the administrator's or the read-only viewer's ({@link #viewer}). The administrator
 * is {@code adminUser} and a password hash, from {@code adminPasswordHash}, else
 * {@code adminPassword} (hashed in memory), else a password generated at the installation's first start: every
 * instance of the machine reads the same {@code admin-password.hash} next to the secret file; the instance that
 * created it logs the password, once.
 */
public final class AdminCredentials {

    public static final String GENERATED_FILE = "admin-password.hash";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    static final int GENERATED_LENGTH = 20;
    /**
     * The generated password is 20 random characters of 57 (117 bits): key stretching protects passwords people choose
     * and could guess, not a random secret of that size, so its hash takes the minimum of rounds. At the default
     * 600,000 it cost the installation's first start ~2.5 s of CPU (issue 14: first start at most 500 ms).
     */
    static final int GENERATED_ITERATIONS = PasswordHash.MIN_ITERATIONS;

    private final String user;
    private final java.util.function.Supplier<PasswordHash> source;
    private volatile PasswordHash hash;

    public AdminCredentials(String user, PasswordHash hash) {
        this(user, () -> hash);
        Objects.requireNonNull(hash, "hash");
    }

    /** A password from the configuration is hashed when first needed, not at start-up (PBKDF2 takes a while). */
    private AdminCredentials(String user, java.util.function.Supplier<PasswordHash> source) {
        this.user = Objects.requireNonNull(user, "user");
        this.source = Objects.requireNonNull(source, "source");
    }

    public String user() {
        return user;
    }

    public PasswordHash hash() {
        PasswordHash current = hash;
        if (current == null) {
            synchronized (this) {
                current = hash;
                if (current == null) {
                    current = source.get();
                    hash = current;
                }
            }
        }
        return current;
    }

    /** The generated password, if this call created the file (the caller logs it once). */
    public record Resolved(AdminCredentials credentials, java.util.Optional<String> generatedPassword) {
    }

    public static Resolved resolve(RuntimeConfig config) {
        if (config.adminPasswordHash().isPresent()) {
            try {
                return new Resolved(new AdminCredentials(config.adminUser(),
                        PasswordHash.parse(config.adminPasswordHash().get())), java.util.Optional.empty());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid configuration key 'adminPasswordHash': " + e.getMessage(), e);
            }
        }
        if (config.adminPassword().isPresent()) {
            char[] password = config.adminPassword().get().toCharArray();
            return new Resolved(new AdminCredentials(config.adminUser(), () -> PasswordHash.of(password)),
                    java.util.Optional.empty());
        }
        Path file = generatedFile(config);
        try {
            java.util.Optional<String> generated = Files.exists(file) ? java.util.Optional.empty() : create(file);
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return new Resolved(new AdminCredentials(config.adminUser(), PasswordHash.parse(text)), generated);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IOException failed ? io.hostpub.runtime.config.FileProblems.describe(failed)
                    : e.getMessage();
            throw new ConfigException("cannot use the generated admin password file " + file + " (" + why
                    + "); delete it to generate a new one, or set 'adminPassword' or 'adminPasswordHash'", e);
        }
    }

    /** The read-only account's credentials, if the configuration has one (its password is never generated). */
    public static java.util.Optional<AdminCredentials> viewer(RuntimeConfig config) {
        if (config.viewer().isEmpty()) {
            return java.util.Optional.empty();
        }
        var account = config.viewer().get();
        if (account.passwordHash().isPresent()) {
            try {
                return java.util.Optional.of(new AdminCredentials(account.user(),
                        PasswordHash.parse(account.passwordHash().get())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid configuration key 'viewerPasswordHash': " + e.getMessage(), e);
            }
        }
        char[] password = account.password().orElseThrow().toCharArray();
        return java.util.Optional.of(new AdminCredentials(account.user(), () -> PasswordHash.of(password)));
    }

    public static Path generatedFile(RuntimeConfig config) {
        return config.secretFile().toAbsolutePath().resolveSibling(GENERATED_FILE);
    }

    public boolean matches(String candidateUser, String candidatePassword) {
        boolean userMatches = java.security.MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                candidateUser.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = hash().matches(candidatePassword);
        return userMatches & passwordMatches;
    }

    /** Creates the file with a new password unless another instance wins the race; returns the password if we won. */
    private static java.util.Optional<String> create(Path file) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        SecureRandom random = new SecureRandom();
        char[] password = new char[GENERATED_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        Path temp = Files.createTempFile(dir, ".admin", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, PasswordHash.of(password, GENERATED_ITERATIONS).text() + "\n",
                    StandardCharsets.US_ASCII);
            Files.createLink(file, temp);
            return java.util.Optional.of(new String(password));
        } catch (FileAlreadyExistsException raceLost) {
            return java.util.Optional.empty();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
