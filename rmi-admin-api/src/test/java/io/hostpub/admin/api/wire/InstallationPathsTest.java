package io.hostpub.admin.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationPathsTest {

    @TempDir
    Path home;

    @Test
    void precedenceOfHomeAndConfig() {
        Properties props = new Properties();
        props.setProperty("user.home", "/u");
        assertThat(InstallationPaths.from(props, Map.of()).home()).isEqualTo(Path.of("/u/.hostpub"));
        assertThat(InstallationPaths.from(props, Map.of("HOSTPUB_HOME", "/h")).configFile())
                .isEqualTo(Path.of("/h/conf/hostpub.xml"));
        props.setProperty("hostpub.home", "/p");
        props.setProperty("hostpub.config", "/c.xml");
        InstallationPaths paths = InstallationPaths.from(props, Map.of("HOSTPUB_HOME", "/h", "HOSTPUB_CONFIG", "/e.xml"));
        assertThat(paths.home()).isEqualTo(Path.of("/p"));
        assertThat(paths.configFile()).isEqualTo(Path.of("/c.xml"));
    }

    @Test
    void relativeSecretFileInTheConfigResolvesAgainstTheHome() throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/hostpub.xml"), "<hostpub><secretFile>keys/s</secretFile></hostpub>");
        var paths = new InstallationPaths(home, home.resolve("conf/hostpub.xml"));
        String saved = System.clearProperty("hostpub.secretFile");
        try {
            assertThat(paths.secretFile()).isEqualTo(home.resolve("keys/s"));
        } finally {
            if (saved != null) {
                System.setProperty("hostpub.secretFile", saved);
            }
        }
    }
}
