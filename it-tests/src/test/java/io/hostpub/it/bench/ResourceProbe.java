package io.hostpub.it.bench;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jgroups.JChannel;

/**
 * What joining a group costs an otherwise idle JVM: live threads and heap in use (after a full GC) before and
 * after, the threads of the group's own code among them, and the wall time of the join itself, printed as one
 * {@code COST} line. Arguments:
 * {@code hostpub} (the runtime's start: a supervisor if nobody holds the port, else a subordinate),
 * {@code curator <connect> <group>} (client connected and a LeaderLatch member), or {@code jgroups <cluster>} (connected
 * to the TCP stack's group). The process then waits for its standard input to close.
 */
public final class ResourceProbe {

    private ResourceProbe() {
    }

    public static void main(String[] args) throws Exception {
        int threadsBefore = threads();
        long heapBefore = heapUsed();
        long start = System.nanoTime();
        AutoCloseable member;
        String role;
        switch (args[0]) {
            case "hostpub" -> {
                HostpubRuntime runtime = HostpubRuntime.builder(ConfigLoader.fromEnvironment()).start();
                role = runtime.role().name().toLowerCase(java.util.Locale.ROOT);
                member = runtime;
            }
            case "curator" -> {
                CuratorFramework client = CuratorFrameworkFactory.newClient(args[1], new ExponentialBackoffRetry(100, 10));
                client.start();
                client.blockUntilConnected(60, TimeUnit.SECONDS);
                String id = "p" + ProcessHandle.current().pid();
                // a path per run: a killed member's node outlives it by the session timeout
                LeaderLatch latch = new LeaderLatch(client, "/cost/" + args[2], id);
                latch.start();
                // joined once our node is among the latch's participants (a member never gets leadership)
                while (latch.getParticipants().stream().noneMatch(p -> p.getId().equals(id))) {
                    Thread.sleep(1);
                }
                role = latch.getLeader().getId().equals(id) ? "leader" : "member";
                member = () -> {
                    latch.close();
                    client.close();
                };
            }
            case "jgroups" -> {
                JChannel channel = new JChannel("tcp.xml");
                channel.connect(args[1]);
                role = channel.getView().getCoord().equals(channel.getAddress()) ? "leader" : "member";
                member = channel;
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        long startMicros = (System.nanoTime() - start) / 1_000;
        // let background threads the join started settle before counting (hostpub's executors let an idle thread go
        // after 2 s, its warm-standby rehearsal takes about as long)
        Thread.sleep(5_000);
        System.out.println("COST " + args[0] + " " + role + " " + threadsBefore + " " + threads() + " "
                + heapBefore / 1024 + " " + heapUsed() / 1024 + " " + startMicros + " " + ownThreads());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            // until the harness closes our input
        }
        member.close();
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
