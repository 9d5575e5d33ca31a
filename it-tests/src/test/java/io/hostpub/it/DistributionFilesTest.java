package io.hostpub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files operators install from {@code dist/}: the systemd units pass {@code systemd-analyze verify} once
 * installed (paths set as an installer sets them), and the systemd launcher maps what hostpub appends to the unit it
 * starts. ({@code dist/bin/hpctl-detached} runs for real as the plan launcher of {@code ClusterAcrossHostsTest}.)
 */
class DistributionFilesTest {

    static final Path DIST = Path.of("..", "dist").toAbsolutePath().normalize();
    static final Path HPCTL = Path.of("..", "hpctl").toAbsolutePath().normalize();

    @TempDir
    Path units;

    record Result(int exit, String output) {
    }

    static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    static boolean installed(String tool) throws Exception {
        return run(List.of("sh", "-c", "command -v " + tool)).exit() == 0;
    }

    @Test
    void theSystemdUnitsVerifyOnceInstalled() throws Exception {
        Assumptions.assumeTrue(installed("systemd-analyze"), "systemd-analyze is not installed here");
        Path env = Files.writeString(units.resolve("node.env"), "HOSTPUB_NODE=a\n");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String[] unit : new String[][] {{"hostpub-agent@.service", "hostpub-agent@a.service"},
                {"hostpub-monitor@.service", "hostpub-monitor@local-l1.service"}}) {
            String text = Files.readString(DIST.resolve("systemd").resolve(unit[0]))
                    .replace("/opt/hostpub/hpctl", HPCTL.toString()).replace("/etc/hostpub/node.env", env.toString());
            command.add(Files.writeString(units.resolve(unit[1]), text).toString());
        }
        Result verified = run(command);
        assertThat(verified.exit()).as(verified.output()).isZero();
        assertThat(verified.output()).isEmpty();
    }

    @Test
    void theSystemdLauncherStartsTheUnitOfWhatHostpubAppends() throws Exception {
        Assumptions.assumeTrue(installed("systemd-escape"), "systemd-escape is not installed here");
        String launch = DIST.resolve("bin").resolve("hostpub-systemd-launch").toString();
        assertThat(run(List.of(launch, "--dry-run", "agent", "--node", "b", "--home", "/srv/hostpub")).output())
                .isEqualTo("systemctl start hostpub-agent@b.service\n");
        assertThat(run(List.of(launch, "--dry-run", "monitor", "--position", "local/l1", "--node", "a", "--home",
                "/srv/hostpub")).output()).isEqualTo("systemctl start hostpub-monitor@local-l1.service\n");
        Result bad = run(List.of(launch, "--dry-run", "monitor", "--node", "a"));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output()).contains("monitor without --position");
    }
}
