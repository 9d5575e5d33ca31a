package io.hostpub.cli;

import io.hostpub.coordinator.operator.ClusterShutdown;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hpctl cluster start [--scope POSITION] [--wait SECONDS]}: brings a shut-down installation back. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Lift a shutdown order ('all' lifts every one) and start the scope's agents and coordinators "
                + "(with the plan's launcher, so on their own machines); the coordinators place the jobs again. Exits "
                + "0 once every agent of the scope answers and its coordinators are ACTIVE; else names what is "
                + "missing and exits 1."})
final class StartCommand extends ScopeCommand {

    @Override
    List<String> run(ClusterShutdown cluster, Duration wait) throws Exception {
        List<String> launched = cluster.start(scope);
        System.out.println("started: " + (launched.isEmpty() ? "every agent and coordinator of " + scope
                + " runs already" : String.join(", ", launched)));
        return ClusterShutdown.await(() -> cluster.notUp(scope), wait);
    }

    @Override
    String leftOver() {
        return "not up";
    }

    @Override
    String done(ClusterShutdown cluster) {
        return "up: " + cluster.nodes(scope).size() + " agent(s) and " + cluster.positions(scope).size()
                + " coordinator(s) of " + scope + " answer; the coordinators place the jobs now ('hpctl cluster'"
                + " shows them)";
    }
}
