package io.hostpub.cli;

import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.operator.ClusterShutdown;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hpctl cluster shutdown [--scope POSITION] [--wait SECONDS]}: the coordinated stop of an installation. */
@Command(name = "shutdown", mixinStandardHelpOptions = true,
        description = {"Stop every job, agent and coordinator of the installation (or of one coordinator's scope) and "
                + "keep them stopped: nothing restarts anything under the scope until 'hpctl cluster start'. Exits 0 "
                + "once nothing of it answers or runs on this machine; else names what still runs and exits 1 (the "
                + "order stays in force). Jobs get 10 s after SIGTERM."})
final class ShutdownCommand extends ScopeCommand {

    @Override
    List<String> run(ClusterShutdown cluster, Duration wait) throws Exception {
        ShutdownOrder order = cluster.order(scope, System.getProperty("user.name") + " (hpctl)");
        System.out.println("ordered: " + order.describe() + "; " + cluster.positions(scope).size()
                + " coordinator position(s), " + cluster.nodes(scope).size() + " node(s)");
        return ClusterShutdown.await(() -> cluster.stillRunning(scope), wait);
    }

    @Override
    String leftOver() {
        return "still running (the order stays in force: what is left stops when it reads it; 'hpctl cluster start'"
                + " lifts it)";
    }

    @Override
    String done(ClusterShutdown cluster) {
        return "shut down: nothing of " + scope + " runs";
    }
}
