package io.hostpub.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A slow, lossy network between the machines of a {@link TestBed}: what {@code tc qdisc add dev ... netem delay D loss
 * P} on each machine's link does, for kernels built without netem (the CI machine's is one). The machines' links leave
 * the bridge and a small user-space switch ({@code slow-switch.py}, Python's standard library only) forwards their
 * Ethernet frames after {@code delay}, dropping {@code lossPercent} of them at random: a frame between two machines
 * crosses it once, so a round trip takes twice the delay. Offloads are turned off on both ends of each link
 * ({@code ethtool}), since a raw socket sees frames before the kernel cuts TCP segments and fills in checksums.
 * Closing it puts the links back on the bridge.
 */
final class SlowSwitch implements AutoCloseable {

    private final String switchNamespace;
    private final List<TestBed.Host> hosts;
    private final Process process;
    private final Path script;

    private SlowSwitch(String switchNamespace, List<TestBed.Host> hosts, Process process, Path script) {
        this.switchNamespace = switchNamespace;
        this.hosts = hosts;
        this.process = process;
        this.script = script;
    }

    static SlowSwitch start(String switchNamespace, List<TestBed.Host> hosts, Duration delay, double lossPercent)
            throws IOException {
        for (TestBed.Host host : hosts) {
            Commands.run("ip", "netns", "exec", switchNamespace, "ethtool", "-K", host.switchLink(), "tx", "off",
                    "tso", "off", "gso", "off", "gro", "off");
            Commands.run("ip", "netns", "exec", host.namespace(), "ethtool", "-K", "eth0", "tx", "off", "tso", "off",
                    "gso", "off", "gro", "off");
        }
        Path script = Files.createTempFile("slow-switch", ".py");
        try (InputStream source = SlowSwitch.class.getResourceAsStream("slow-switch.py")) {
            Files.write(script, source.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", switchNamespace, "python3", "-u",
                script.toString(), String.valueOf(delay.toMillis()), String.valueOf(lossPercent)));
        for (TestBed.Host host : hosts) {
            Commands.run("ip", "-n", switchNamespace, "link", "set", host.switchLink(), "nomaster");
            command.add(host.switchLink());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        SlowSwitch slow = new SlowSwitch(switchNamespace, hosts, process, script);
        BufferedReader said = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String first = said.readLine();
        if (!"ready".equals(first)) {
            StringBuilder all = new StringBuilder(String.valueOf(first));
            for (String line; (line = said.readLine()) != null; ) {
                all.append('\n').append(line);
            }
            slow.close();
            throw new IOException("the slow switch did not start (python3 in the switch namespace): " + all);
        }
        return slow;
    }

    /** Stops the switch and puts every link back on the bridge. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(script);
        for (TestBed.Host host : hosts) {
            Commands.run("ip", "-n", switchNamespace, "link", "set", host.switchLink(), "master", "br0");
        }
    }
}
