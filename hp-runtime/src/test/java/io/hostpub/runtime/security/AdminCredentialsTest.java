package io.hostpub.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.runtime.config.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password generated at an installation's first start: made once, stored hashed, matched by every instance. */
class AdminCredentialsTest {

    @TempDir
    Path home;

    @Test
    void theFirstStartGeneratesOnePasswordHashedWithTheMinimumOfRoundsAndLaterStartsReadIt() throws Exception {
        RuntimeConfig config = RuntimeConfig.defaults(home);
        AdminCredentials.Resolved first = AdminCredentials.resolve(config);
        String password = first.generatedPassword().orElseThrow();
        assertThat(password).hasSize(AdminCredentials.GENERATED_LENGTH);

        Path file = AdminCredentials.generatedFile(config);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        PasswordHash stored = PasswordHash.parse(Files.readString(file));
        assertThat(stored.iterations()).isEqualTo(PasswordHash.MIN_ITERATIONS);
        assertThat(stored.matches(password)).isTrue();

        AdminCredentials.Resolved second = AdminCredentials.resolve(config);
        assertThat(second.generatedPassword()).as("shown once, by the instance that made it").isEmpty();
        assertThat(second.credentials().matches("admin", password)).isTrue();
        assertThat(second.credentials().matches("admin", password + "x")).isFalse();
    }

    @Test
    void aPasswordFromTheConfigurationIsStretchedWithTheDefaultRounds() {
        PasswordHash chosen = PasswordHash.of("a person's choice".toCharArray());
        assertThat(chosen.iterations()).isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
        assertThat(chosen.matches("a person's choice")).isTrue();
    }
}
