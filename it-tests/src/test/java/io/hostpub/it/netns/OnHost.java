package io.hostpub.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.testing.TestBed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands run on a machine of a test bed, as an operator there would: the shipped hpctl, and curl as a browser. */
final class OnHost {

    static final ObjectMapper JSON = new ObjectMapper();

    private OnHost() {
    }

    /** What a command said: its exit code (an HTTP status, for {@link #curl}), output and error, and its time. */
    record Result(int exit, String out, String err, Duration took) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        int status() {
            return exit;
        }
    }

    /** The shipped launcher script on {@code host}, with {@code installation} as its HOSTPUB_HOME. */
    static Result hpctl(TestBed.Host host, Path installation, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("..", "hpctl").toAbsolutePath().normalize()
                .toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(host.command(command));
        builder.environment().put("HOSTPUB_HOME", installation.toString());
        builder.environment().remove("HOSTPUB_CONFIG");
        Path out = Files.createTempFile("hpctl", ".out");
        Path err = Files.createTempFile("hpctl", ".err");
        try {
            long start = System.nanoTime();
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("hpctl " + String.join(" ", args) + " ended")
                    .isTrue();
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** An HTTP call from {@code host} with Basic {@code credentials} ({@code user:password}); the status is kept. */
    static Result curl(TestBed.Host host, String credentials, String url, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "-m", "60", "-u", credentials, "-w",
                "\n%{http_code}"));
        command.addAll(List.of(more));
        command.add(url);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(host.command(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(70, TimeUnit.SECONDS)).isTrue();
        int cut = output.lastIndexOf('\n');
        int status = Integer.parseInt(output.substring(cut + 1).strip());
        return new Result(status, output.substring(0, cut), "", Duration.ofNanos(System.nanoTime() - start));
    }
}
