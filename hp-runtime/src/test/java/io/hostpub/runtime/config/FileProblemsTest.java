package io.hostpub.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.runtime.HostpubRuntime;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up errors about files say the cause, not only the path. */
class FileProblemsTest {

    @TempDir
    Path dir;

    @Test
    void theJdksPathOnlyMessagesGetTheirCause() {
        // the JDK's message of these is the bare path
        assertThat(new AccessDeniedException("/srv/hostpub/conf").getMessage()).isEqualTo("/srv/hostpub/conf");
        assertThat(FileProblems.describe(new AccessDeniedException("/srv/hostpub/conf")))
                .isEqualTo("/srv/hostpub/conf: permission denied (the user running this JVM, "
                        + System.getProperty("user.name") + ", may not write or read it)");
        assertThat(FileProblems.describe(new NoSuchFileException("/srv/x"))).isEqualTo("/srv/x: does not exist");
        assertThat(FileProblems.describe(new FileSystemException("/srv/y", null, "Read-only file system")))
                .isEqualTo("/srv/y: Read-only file system");
    }

    /** A home on a real read-only file system (a tmpfs the test mounts; root only, else skipped). */
    @Test
    void aRuntimeWithAnUnwritableHomeSaysWhyItCannotStart() throws Exception {
        Path home = Files.createDirectories(dir.resolve("ro-home"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", home.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mount.waitFor() == 0, () -> "cannot mount a tmpfs here (needs root): " + said);
        try {
            RuntimeConfig config = RuntimeConfig.defaults(home);
            assertThatThrownBy(() -> HostpubRuntime.builder(config).unguarded().start())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("installation secret")
                    .hasMessageContaining(home.toString()).hasMessageContaining("Read-only file system");
        } finally {
            new ProcessBuilder("umount", home.toString()).start().waitFor();
        }
    }
}
