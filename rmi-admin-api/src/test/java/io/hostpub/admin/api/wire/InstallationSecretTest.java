package io.hostpub.admin.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationSecretTest {

    @TempDir
    Path dir;

    @Test
    void createsAnOwnerOnlyFile() throws IOException {
        Path file = dir.resolve("conf/secret");
        InstallationSecret secret = InstallationSecret.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(InstallationSecret.load(file).fingerprint()).isEqualTo(secret.fingerprint());
        assertThat(secret.toString()).doesNotContain(Files.readString(file).strip());
    }

    @Test
    void racingCreatorsAgreeOnOneSecret() throws Exception {
        Path file = dir.resolve("secret");
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                tasks.add(() -> InstallationSecret.loadOrCreate(file).fingerprint());
            }
            List<String> prints = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(tasks)) {
                prints.add(f.get());
            }
            assertThat(prints).containsOnly(prints.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesASecretReadableByOthers() throws IOException {
        Path file = dir.resolve("secret");
        InstallationSecret.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> InstallationSecret.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("accessible by group or others").hasMessageContaining("chmod 600");
    }

    @Test
    void refusesGarbage() throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "not hex");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> InstallationSecret.load(file)).hasMessageContaining("hex secret");
    }
}
