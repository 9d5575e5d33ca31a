package io.hostpub.it.bench;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jgroups.JChannel;

/**
 * The membership of one group in an otherwise idle JVM, measured by {@link CostProbe}: {@code hostpub} (the runtime's
 * start: a supervisor if nobody holds the port, else a subordinate), {@code curator <connect> <group>} (client
 * connected and a LeaderLatch member), or {@code jgroups <cluster>} (connected to the TCP stack's group).
 */
public final class ResourceProbe {

    private ResourceProbe() {
    }

    public static void main(String[] args) throws Exception {
        CostProbe.run(args[0], () -> switch (args[0]) {
            case "hostpub" -> RuntimeCostProbe.join();
            case "curator" -> curator(args[1], args[2]);
            case "jgroups" -> jgroups(args[1]);
            default -> throw new IllegalArgumentException(args[0]);
        });
    }

    private static CostProbe.Joined curator(String connect, String group) throws Exception {
        CuratorFramework client = CuratorFrameworkFactory.newClient(connect, new ExponentialBackoffRetry(100, 10));
        client.start();
        client.blockUntilConnected(60, TimeUnit.SECONDS);
        String id = "p" + ProcessHandle.current().pid();
        // a path per run: a killed member's node outlives it by the session timeout
        LeaderLatch latch = new LeaderLatch(client, "/cost/" + group, id);
        latch.start();
        // joined once our node is among the latch's participants (a member never gets leadership)
        while (latch.getParticipants().stream().noneMatch(p -> p.getId().equals(id))) {
            Thread.sleep(1);
        }
        String role = latch.getLeader().getId().equals(id) ? "leader" : "member";
        return new CostProbe.Joined(role, () -> {
            latch.close();
            client.close();
        });
    }

    private static CostProbe.Joined jgroups(String cluster) throws Exception {
        JChannel channel = new JChannel("tcp.xml");
        channel.connect(cluster);
        return new CostProbe.Joined(channel.getView().getCoord().equals(channel.getAddress()) ? "leader" : "member",
                channel);
    }
}
