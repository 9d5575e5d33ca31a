package io.hostpub.it.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.VERIFY_SUSPECT2;

/**
 * One member of a peer system's leader election, run as its own JVM by {@link FailoverComparisonBenchmark}. It
 * prints {@code READY} once it has joined and {@code LEADER <id> @<epoch micros>} every time its own view of the
 * leader changes, so the harness times "every survivor knows the new leader" from the logs, exactly as it does for
 * hostpub's role events. It runs until its standard input closes or it is killed.
 *
 * <pre>
 * curator &lt;connect&gt; &lt;latch path&gt; &lt;id&gt; default|&lt;session ms&gt;
 * jgroups &lt;cluster&gt; &lt;id&gt; default|&lt;verify-suspect ms&gt;
 * </pre>
 */
public final class LeaderPeer {

    private static volatile String leader = "";

    private LeaderPeer() {
    }

    public static void main(String[] args) throws Exception {
        AutoCloseable member = switch (args[0]) {
            case "curator" -> curator(args[1], args[2], args[3], args[4]);
            case "jgroups" -> jgroups(args[1], args[2], args[3]);
            default -> throw new IllegalArgumentException("unknown system " + args[0]);
        };
        System.out.println("READY " + args[0]);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            // wait for the harness to close our input (or kill us)
        }
        member.close();
    }

    static synchronized void leaderIs(String id) {
        if (id != null && !id.isEmpty() && !id.equals(leader)) {
            leader = id;
            System.out.println("LEADER " + id + " @" + RoleEvents.nowMicros());
            System.out.flush();
        }
    }

    /**
     * Curator's {@link LeaderLatch}: the leader is the owner of the lowest ephemeral sequential node. Every member
     * watches the latch's children through a {@link CuratorCache} and recomputes the leader on each change, the way
     * an application learns who leads.
     */
    private static AutoCloseable curator(String connect, String path, String id, String session) throws Exception {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder().connectString(connect)
                .retryPolicy(new ExponentialBackoffRetry(100, 10));
        if (!session.equals("default")) {
            int ms = Integer.parseInt(session);
            builder.sessionTimeoutMs(ms).connectionTimeoutMs(Math.min(ms, 15_000));
        }
        CuratorFramework client = builder.build();
        client.start();
        if (!client.blockUntilConnected(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no ZooKeeper at " + connect);
        }
        LeaderLatch latch = new LeaderLatch(client, path, id);
        latch.start();
        CuratorCache cache = CuratorCache.build(client, path);
        cache.listenable().addListener((type, before, after) -> refreshCuratorLeader(latch));
        cache.start();
        refreshCuratorLeader(latch);
        return () -> {
            cache.close();
            latch.close();
            client.close();
        };
    }

    private static void refreshCuratorLeader(LeaderLatch latch) {
        try {
            Participant participant = latch.getLeader();
            if (participant.isLeader()) {
                leaderIs(participant.getId());
            }
        } catch (Exception e) {
            // a connection loss or a node vanishing between the list and the read: the next event refreshes
        }
    }

    /**
     * JGroups' TCP stack ({@code tcp.xml}: TCPPING, FD_SOCK2, FD_ALL3, VERIFY_SUSPECT2, GMS). The leader is the
     * view's coordinator, its first member. "Tuned" shortens VERIFY_SUSPECT2's wait, the only delay between
     * FD_SOCK2's detection of the closed socket and the new view.
     */
    private static AutoCloseable jgroups(String cluster, String id, String verifySuspect) throws Exception {
        JChannel channel = new JChannel("tcp.xml").name(id);
        if (!verifySuspect.equals("default")) {
            ((VERIFY_SUSPECT2) channel.getProtocolStack().findProtocol(VERIFY_SUSPECT2.class)).setTimeout(Long.parseLong(verifySuspect));
        }
        channel.setReceiver(new Receiver() {
            @Override
            public void viewAccepted(View view) {
                Address coordinator = view.getCoord();
                leaderIs(String.valueOf(coordinator));
            }
        });
        channel.connect(cluster);
        leaderIs(String.valueOf(channel.getView().getCoord()));
        return channel;
    }
}
