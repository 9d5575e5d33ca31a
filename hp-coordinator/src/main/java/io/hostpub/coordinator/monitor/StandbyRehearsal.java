package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.api.poll.AgentReply;
import io.hostpub.coordinator.api.poll.ElectionValue;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.poll.MonitorReply.MonitorState;
import io.hostpub.coordinator.api.poll.Poll;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.wire.ClusterServer;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * What a warm standby does once before it watches: the steps of a takeover that need no fence, so their classes are
 * loaded and their code has run when the takeover counts. It reads the position's checkpoint and endpoint from the
 * store, serves a signed status request and an agent poll on an ephemeral port of its node and asks them with the
 * cluster client (the HTTP server and client, the signer, the poll's JSON both ways). Nothing it does is visible to the cluster.
 */
public final class StandbyRehearsal {

    private static final System.Logger LOG = System.getLogger(StandbyRehearsal.class.getName());

    private StandbyRehearsal() {
    }

    public static void rehearse(String position, InetAddress address, ClusterWire wire, CoordinatorStore store) {
        long started = System.nanoTime();
        try {
            MonitorCheckpoint.read(store, position);
            MonitorEndpoint.read(store, position);
            MonitorReply reply = new MonitorReply(position, "rehearsal", ProcessHandle.current().pid(),
                    MonitorState.STARTING, ElectionValue.NONE, List.of(), OperatorIntent.NONE, null);
            AgentReply agent = new AgentReply("rehearsal", "rehearsal", ProcessHandle.current().pid(),
                    AgentReply.AgentState.RUNNING, ElectionValue.NONE, List.of(), 0);
            try (ClusterServer server = ClusterServer.start("standby-rehearsal", new InetSocketAddress(address, 0),
                    wire, new ClusterServer.Routes().on(ClusterRoutes.MONITOR_STATUS, (NoBody none) -> reply)
                            .on(ClusterRoutes.AGENT_POLL, poll -> agent))) {
                ClusterClient client = wire.client(Duration.ofSeconds(2));
                client.call(server.address(), ClusterRoutes.MONITOR_STATUS, NoBody.INSTANCE, Duration.ofSeconds(5));
                // the poll a takeover sends first, to every agent
                client.call(server.address(), ClusterRoutes.AGENT_POLL, new Poll(position, ElectionValue.NONE,
                        address.getHostAddress() + ":0"), Duration.ofSeconds(5));
            }
            LOG.log(Level.INFO, "standby for {0}: rehearsed the steps of a takeover in {1} ms", position,
                    String.valueOf((System.nanoTime() - started) / 1_000_000));
        } catch (Exception e) {
            // a rehearsal only warms; the takeover itself reports what fails
            LOG.log(Level.INFO, "standby for {0}: rehearsal incomplete: {1}", position, e.toString());
        }
    }
}
