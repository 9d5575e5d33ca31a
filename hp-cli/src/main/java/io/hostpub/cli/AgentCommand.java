package io.hostpub.cli;

import io.hostpub.coordinator.Main;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hpctl agent --node NAME [--bind ADDR]}: the host agent of one node of the cluster plan
 * ({@code $HOSTPUB_HOME/conf/cluster.json}), in the foreground until SIGTERM. Its jobs keep running when it stops.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the host agent of a node (keeps the node's jobs running) until SIGTERM.")
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "the node, as named in cluster.json")
    String node;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "listen on this address instead of the node's address in cluster.json")
    String bind;

    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws Exception {
        return Main.runAgent(home.path(), node, Optional.ofNullable(bind));
    }
}
