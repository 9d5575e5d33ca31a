package io.hostpub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one free-port helper of every module's tests: a port nobody listens on, taken from <em>below</em> the kernel's
 * ephemeral range. A port the kernel chose for a bind to port 0 is one it may choose again for the next such bind,
 * and runtimes bind to port 0 all the time (every RMI export): once a runtime's own admin export took the supervisor
 * port a test had just been given, and the runtime then raced for a port held by an RMI listener that answers the
 * same handshake (seen in a clean-clone CI run). Ports below the ephemeral range are never handed out implicitly.
 */
public final class FreePorts {

    private static final int[] SLICE = slice(10_000, ephemeralLow());
    private static final int LOWEST = SLICE[0];
    private static final int ABOVE_HIGHEST = SLICE[1];
    /** Where this JVM starts looking: a random place in its slice. */
    private static final AtomicInteger NEXT = new AtomicInteger(
            ThreadLocalRandom.current().nextInt(ABOVE_HIGHEST - LOWEST));

    private FreePorts() {
    }

    /** A TCP port free on every address of this host (free when returned, not reserved). */
    public static int next() {
        return consecutive(1);
    }

    /**
     * The first of {@code count} consecutive ports free on every address of this host (for programs that take a
     * base port and count up from it). This JVM never hands out any of them again, so ports given to one test do
     * not come back for its next fixture.
     */
    public static int consecutive(int count) {
        int span = ABOVE_HIGHEST - LOWEST - count;
        for (int tries = 0; tries < span; tries++) {
            int first = LOWEST + Math.floorMod(NEXT.getAndAdd(count), span);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new UncheckedIOException(new IOException("no " + count + " free ports in a row between " + LOWEST
                + " and " + ABOVE_HIGHEST));
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(port), 1);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /**
     * The ports of this test JVM: with several forks of one module running at once (surefire's
     * {@code hostpub.test.fork} of {@code hostpub.test.forks}), each takes its own share of the range. A free-port
     * probe cannot reserve: two JVMs probing the same port both found it free, and the second process to bind it lost
     * (suspected in a RolloutTest run where one member never answered while another fork ran its cluster tests).
     */
    private static int[] slice(int low, int high) {
        int fork = Integer.getInteger("hostpub.test.fork", 0);
        int forks = Integer.getInteger("hostpub.test.forks", 1);
        if (forks < 2 || fork < 1 || fork > forks) {
            return new int[] {low, high};
        }
        int width = (high - low) / forks;
        return new int[] {low + (fork - 1) * width, low + fork * width};
    }

    /** The first port of the kernel's ephemeral range (Linux: {@code net.ipv4.ip_local_port_range}). */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768; // the usual default
        }
    }
}
