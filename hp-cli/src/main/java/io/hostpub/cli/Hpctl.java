package io.hostpub.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code hpctl}: query and administer the instances of a machine, run a bare runtime, run the demo.
 * Exit codes: 0 ok, 1 other failure (e.g. no such instance), 2 usage or configuration, 3 machine
 * unreachable, 4 authentication or protocol failure.
 */
@Command(name = "hpctl", mixinStandardHelpOptions = true, version = "hpctl 0.1.0",
        description = "Query and administer hostpub instances per machine.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:other failure (e.g. no such instance)", "2:usage or configuration error",
                "3:machine unreachable (no supervisor)", "4:authentication or protocol failure"})
public final class Hpctl implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int AUTH = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Held here: java.util.logging keeps only weak references to loggers, and with them their levels. */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %5$s%6$s%n");
        }
        // the cluster wire's Jetty announces its version and every start at INFO: an agent's log keeps hostpub's lines
        JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args));
    }

    /** The subcommands in the order the usage lists them, each made only when needed. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("instances", InstancesCommand::new);
        commands.put("show", ShowCommand::new);
        commands.put("runtime", RuntimeCommand::new);
        commands.put("demo", DemoCommand::new);
        commands.put("agent", AgentCommand::new);
        commands.put("monitor", MonitorCommand::new);
        commands.put("cluster", ClusterCommand::new);
        commands.put("rollout", RolloutCommand::new);
        commands.put("audit", AuditCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    static int run(String... args) {
        return commandLine(args).setExecutionStrategy(new AuditedExecution())
                .setExecutionExceptionHandler(new Failures()).execute(args);
    }

    /**
     * The command line with only the subcommand that {@code args} names, else with all of them (usage, an unknown
     * name, an option first). picocli builds the model of every subcommand it is given, by reflection, before it
     * parses: with all seven that was a quarter of an {@code hpctl instances} run.
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Hpctl());
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            commandLine.addSubcommand(args[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
