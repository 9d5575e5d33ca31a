package io.hostpub.cli;

import io.hostpub.coordinator.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hpctl monitor --position LEVEL/NAME --node NAME}: one coordinator of the hierarchy in the foreground. Agents
 * and coordinators start these themselves; an operator rarely needs to.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Run the coordinator of a monitor position (local/..., group/..., universal/...) on a node.")
final class MonitorCommand implements Callable<Integer> {

    @Option(names = "--position", required = true, paramLabel = "LEVEL/NAME", description = "e.g. local/l1")
    String position;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "the node to run on")
    String node;

    @Option(names = "--standby", description = "wait as the position's warm standby (plan key \"standby\"), taking"
            + " over at once when the active coordinator dies; the active one launches these itself")
    boolean standby;

    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws Exception {
        return Main.runMonitor(home.path(), position, node, standby);
    }
}
