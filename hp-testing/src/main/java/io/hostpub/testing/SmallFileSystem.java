package io.hostpub.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, small file system for full-disk tests: a tmpfs of a few KiB mounted by the test (root only; elsewhere the
 * test is skipped with the reason), filled up with one file on demand and freed again. Closing unmounts it.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path root;
    private final Path filler;

    private SmallFileSystem(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    /** Mounts a tmpfs of {@code kib} KiB at {@code root} (created if missing), or skips the calling test. */
    public static SmallFileSystem mount(Path root, int kib) throws IOException, InterruptedException {
        Files.createDirectories(root);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", root.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean mounted = mount.waitFor() == 0;
        Assumptions.assumeTrue(mounted, () -> "cannot mount a tmpfs here (needs root): " + said);
        return new SmallFileSystem(root);
    }

    public Path root() {
        return root;
    }

    /** Takes every free block (tmpfs gives space by the 4 KiB page), so the next write that needs one fails. */
    public void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Gives the space back. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", root.toString()).start().waitFor();
    }
}
