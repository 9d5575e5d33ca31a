package io.hostpub.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several machines on one Linux host: each a network namespace with its own address on a bridge, its own loopback and
 * its own port space (every machine races for its own supervisor port 30099, exactly as separate hosts do). The
 * bridge lives in a namespace of its own, so every address the test bed uses is inside a namespace it created; the
 * host's own network is never touched. What a namespace does not separate, the machines share: the file system and
 * the process table (a process of machine A can be signalled by pid from anywhere; give each machine its own home).
 *
 * <p>Faults: {@link #partition} (the machine's link down: nothing in or out), {@link #dropOutgoing} (a share of the
 * machine's outgoing packets dropped by nftables: one-way loss, or a one-way partition at 100), {@link #crash} (kill -9
 * of every process in the machine's namespace at once), {@link #slowDown} (latency and loss on every link, as netem
 * would add them; see {@link SlowSwitch} for why not netem itself). Needs {@code ip} (iproute2), {@code nft}
 * (nftables) and CAP_NET_ADMIN, and for {@link #slowDown} {@code ethtool} and {@code python3}; {@link #tryCreate}
 * returns the reason when the machine does not allow it.
 */
public final class TestBed implements AutoCloseable {

    /**
     * One machine: its name, its namespace, its address on the bridge, and the directory it has a disk of its own at,
     * if any ({@link #giveEachMachineItsOwn}).
     */
    public record Host(String name, String namespace, String address, String switchLink, Path ownDirectory) {

        /** Mounts {@code $1} over {@code $2} in a mount namespace of its own, then runs the rest. */
        static final String MOUNT_OWN = "set -e; mkdir -p \"$1\" \"$2\"; mount --bind \"$1\" \"$2\"; shift 2;"
                + " exec \"$@\"";

        /** {@code command}, run inside this machine's network namespace (and with its own directory in place). */
        public List<String> command(List<String> command) {
            List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            if (ownDirectory != null) {
                wrapped.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", MOUNT_OWN, "sh",
                        own().toString(), ownDirectory.toString()));
            }
            wrapped.addAll(command);
            return wrapped;
        }

        /** Where this machine's own copy of {@link #ownDirectory} is on the shared file system. */
        public Path own() {
            return ownDirectory.resolveSibling(ownDirectory.getFileName() + ".machine-" + name);
        }
    }

    /** Beds made by this JVM so far: part of every name, so test classes that run side by side never share one. */
    private static final java.util.concurrent.atomic.AtomicInteger BEDS = new java.util.concurrent.atomic.AtomicInteger();

    private final String switchNamespace;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private volatile SlowSwitch slow;

    private TestBed(String switchNamespace) {
        this.switchNamespace = switchNamespace;
    }

    /**
     * Machines named {@code names} on one bridge, addresses 10.233.S.2, .3, ... (S from this JVM's pid and the bed's
     * number in it). Names of namespaces and links carry both, so two beds of one JVM (test classes run side by side)
     * or of two JVMs never meet.
     *
     * @return the test bed, or a String saying why it cannot be made here
     */
    public static Object tryCreate(String... names) {
        long pid = ProcessHandle.current().pid() % 100_000;
        int number = BEDS.incrementAndGet();
        String id = pid + "x" + number; // at most 9 characters: link names below stay within the kernel's 15
        int subnet = (int) ((pid + number) % 200) + 20;
        TestBed bed = new TestBed("hpsw" + id);
        try {
            run("ip", "netns", "add", bed.switchNamespace);
            run("ip", "-n", bed.switchNamespace, "link", "add", "br0", "type", "bridge");
            run("ip", "-n", bed.switchNamespace, "link", "set", "br0", "up");
            for (int i = 0; i < names.length; i++) {
                Host host = new Host(names[i], "hpm" + id + "-" + i, "10.233." + subnet + "." + (i + 2),
                        "hb" + id + "s" + i, null);
                String inside = "hb" + id + "m" + i;
                run("ip", "netns", "add", host.namespace());
                bed.hosts.put(host.name(), host);
                run("ip", "link", "add", host.switchLink(), "type", "veth", "peer", "name", inside);
                run("ip", "link", "set", host.switchLink(), "netns", bed.switchNamespace);
                run("ip", "-n", bed.switchNamespace, "link", "set", host.switchLink(), "master", "br0", "up");
                run("ip", "link", "set", inside, "netns", host.namespace());
                run("ip", "-n", host.namespace(), "link", "set", inside, "name", "eth0");
                run("ip", "-n", host.namespace(), "addr", "add", host.address() + "/24", "dev", "eth0");
                run("ip", "-n", host.namespace(), "link", "set", "eth0", "up");
                run("ip", "-n", host.namespace(), "link", "set", "lo", "up");
            }
            run("nft", "--version");
            return bed;
        } catch (IOException e) {
            bed.close();
            return e.getMessage();
        }
    }

    public Host host(String name) {
        Host host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no machine " + name + " in the test bed " + hosts.keySet());
        }
        return host;
    }

    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * From now on every process started on a machine ({@link Host#command}, {@link #writeLauncher}; their children
     * inherit it) sees at {@code directory} a directory of that machine's own ({@link Host#own}), as a real host has
     * its own disk at a path every machine uses: the machines of the bed share one file system otherwise. Ask for
     * the hosts again after this.
     */
    public void giveEachMachineItsOwn(Path directory) throws IOException {
        java.nio.file.Files.createDirectories(directory);
        hosts.replaceAll((name, host) -> new Host(host.name(), host.namespace(), host.address(), host.switchLink(),
                directory.toAbsolutePath()));
    }

    /**
     * Writes the test bed's "ssh" to {@code file}: {@code file ADDRESS COMMAND...} runs the command on the machine with
     * that address, detached as a launcher must start agents and coordinators (its own session, stdin closed; output
     * where the caller sends it), so a plan's {@code "launcher": [file, "{address}", ...]} reaches other machines.
     * Like ssh, it fails (exit 255, "No route to host") when the caller or the target is cut off by
     * {@link #partition}, unless both are the same machine; it fails at once where ssh would wait for its timeout.
     */
    public Path writeLauncher(Path file) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\n# the test bed's ssh: ADDRESS COMMAND... runs COMMAND on"
                + " that machine, detached\naddress=\"$1\"\nshift\nown=\nshared=\ncase \"$address\" in\n");
        for (Host host : hosts.values()) {
            script.append("  ").append(host.address()).append(") namespace=").append(host.namespace())
                    .append(" link=").append(host.switchLink());
            if (host.ownDirectory() != null) {
                script.append(" own='").append(host.own()).append("' shared='").append(host.ownDirectory())
                        .append("'");
            }
            script.append(" ;;\n");
        }
        script.append("  *) echo \"no machine $address in the test bed\" >&2; exit 255 ;;\nesac\n");
        // like ssh, it cannot reach a machine across a partition: the caller's and the target's links must be up
        script.append("here=$(ip netns identify $$)\nhere_link=\ncase \"$here\" in\n");
        for (Host host : hosts.values()) {
            script.append("  ").append(host.namespace()).append(") here_link=").append(host.switchLink())
                    .append(" ;;\n");
        }
        script.append("esac\nif [ \"$here\" != \"$namespace\" ]; then\n  for l in $link $here_link; do\n")
                .append("    if ! ip -n ").append(switchNamespace).append(" link show \"$l\" | grep -q '[<,]UP[,>]';")
                .append(" then\n      echo \"ssh: connect to host $address port 22: No route to host\" >&2\n")
                .append("      exit 255\n    fi\n  done\nfi\n")
                .append("if [ -n \"$own\" ]; then\n  exec ip netns exec \"$namespace\" setsid unshare --mount")
                .append(" --propagation private sh -c '").append(Host.MOUNT_OWN.replace("'", "'\\''"))
                .append("' sh \"$own\" \"$shared\" \"$@\" < /dev/null\nfi\n")
                .append("exec ip netns exec \"$namespace\" setsid \"$@\" < /dev/null\n");
        java.nio.file.Files.writeString(file, script);
        java.nio.file.Files.setPosixFilePermissions(file,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** Cuts the machine off: its link to the bridge goes down (connections hang, new ones time out). */
    public void partition(Host host) throws IOException {
        run("ip", "-n", switchNamespace, "link", "set", host.switchLink(), "down");
    }

    /** Ends {@link #partition}. */
    public void heal(Host host) throws IOException {
        run("ip", "-n", switchNamespace, "link", "set", host.switchLink(), "up");
    }

    /** Drops {@code percent} of the packets the machine sends to others (100: it hears, nobody hears it). */
    public void dropOutgoing(Host host, int percent) throws IOException {
        clearDrops(host);
        run("ip", "netns", "exec", host.namespace(), "nft", "add", "table", "inet", "testbed");
        run("ip", "netns", "exec", host.namespace(), "nft", "add", "chain", "inet", "testbed", "out",
                "{ type filter hook output priority 0; }");
        run("ip", "netns", "exec", host.namespace(), "nft", "add", "rule", "inet", "testbed", "out", "oifname",
                "eth0", "numgen", "random", "mod", "100", "<", String.valueOf(percent), "drop");
    }

    /** Ends {@link #dropOutgoing}. */
    public void clearDrops(Host host) throws IOException {
        try {
            run("ip", "netns", "exec", host.namespace(), "nft", "delete", "table", "inet", "testbed");
        } catch (IOException noTable) {
            // nothing dropped
        }
    }

    /**
     * Every frame between the machines delayed by {@code delay} and {@code lossPercent} of them dropped at random (as
     * {@code netem delay D loss P} on each link), until the returned handle is closed. A {@link #partition} still
     * cuts a machine off meanwhile.
     */
    public AutoCloseable slowDown(Duration delay, double lossPercent) throws IOException {
        if (slow != null) {
            throw new IllegalStateException("the network is slowed down already");
        }
        SlowSwitch started = SlowSwitch.start(switchNamespace, List.copyOf(hosts.values()), delay, lossPercent);
        slow = started;
        return () -> {
            slow = null;
            started.close();
        };
    }

    /** The processes running in the machine's namespace. */
    public List<ProcessHandle> processes(Host host) throws IOException {
        List<ProcessHandle> processes = new ArrayList<>();
        for (String pid : run("ip", "netns", "pids", host.namespace()).split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(processes::add);
            }
        }
        return processes;
    }

    /**
     * Every process of the machine dies: kill -9 of all in its namespace at once, and again until none is left, since
     * a launcher may have started one there while the first ones were dying (a kill -9 took up to 2 s to end
     * them all on the CI machine); returns how many there were. Its link stays up: others see refused connections.
     */
    public int crash(Host host) throws IOException {
        int killed = 0;
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> victims = processes(host);
            if (victims.isEmpty()) {
                return killed;
            }
            victims.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle victim : victims) {
                try {
                    victim.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException("process " + victim.pid() + " of " + host.name() + " survived kill -9", e);
                }
            }
            killed += victims.size();
        }
        throw new IOException("processes keep starting on " + host.name() + " after 10 rounds of kill -9: "
                + processes(host));
    }

    /**
     * The machine is lost, as by a power failure: first cut off ({@link #partition}: it answers nothing and nothing
     * reaches it, so no launcher can start a process there), then {@link #crash}ed. In the other order a coordinator
     * saw the refused connections of the dying machine and started an agent there before it was cut off.
     */
    public int lose(Host host) throws IOException {
        partition(host);
        return crash(host);
    }

    /** Kills every process in every machine and removes the namespaces (their links go with them). */
    @Override
    public void close() {
        SlowSwitch running = slow;
        if (running != null) {
            try {
                running.close();
            } catch (IOException ignored) {
                // the namespaces go below, links and all
            }
        }
        for (Host host : hosts.values()) {
            try {
                crash(host);
            } catch (IOException ignored) {
                // gone already
            }
            try {
                run("ip", "netns", "del", host.namespace());
            } catch (IOException ignored) {
                // never made
            }
        }
        try {
            run("ip", "netns", "del", switchNamespace);
        } catch (IOException ignored) {
            // never made
        }
    }

    private static String run(String... command) throws IOException {
        return Commands.run(command);
    }
}
