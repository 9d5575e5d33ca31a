package io.hostpub.it.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What joining a group costs an otherwise idle JVM: live threads and heap in use (after a full GC) before and after,
 * the threads of the group's own code among them, and the wall time of the join itself, printed as one
 * {@code COST <system> <role> <threads before> <after> <heap KiB before> <after> <join us> <own threads>} line. The
 * process then waits for its standard input to close. References no group library, so a probe of one group runs on
 * that group's class path alone ({@link ResourceProbe}, {@link RuntimeCostProbe}).
 */
final class CostProbe {

    /** A group membership, joined. */
    record Joined(String role, AutoCloseable member) {
    }

    interface Join {
        Joined join() throws Exception;
    }

    private CostProbe() {
    }

    static void run(String system, Join join) throws Exception {
        int threadsBefore = threads();
        long heapBefore = heapUsed();
        long start = System.nanoTime();
        Joined joined = join.join();
        long startMicros = (System.nanoTime() - start) / 1_000;
        // let background threads the join started settle before counting (hostpub's executors let an idle thread go
        // after 2 s, its warm-standby rehearsal takes about as long)
        Thread.sleep(5_000);
        System.out.println("COST " + system + " " + joined.role() + " " + threadsBefore + " " + threads() + " "
                + heapBefore / 1024 + " " + heapUsed() / 1024 + " " + startMicros + " " + ownThreads());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            // until the harness closes our input
        }
        joined.member().close();
    }

    /** Threads the group's own code named (hostpub's, JGroups', Curator's and ZooKeeper's), not the JDK's. */
    private static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("hostpub-")
                || n.startsWith("jgroups-") || n.contains("Curator") || n.contains("-EventThread")
                || n.contains("-SendThread")).count();
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapUsed() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
