package io.hostpub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code hpctl}: query and administer the instances of a machine, run a bare runtime, run the demo.
 * Exit codes: 0 ok, 1 other failure (e.g. no such instance), 2 usage or configuration, 3 machine
 * unreachable, 4 authentication or protocol failure.
 */
@Command(name = "hpctl", mixinStandardHelpOptions = true, version = "hpctl 0.1.0",
        description = "Query and administer hostpub instances per machine.",
        subcommands = {InstancesCommand.class, ShowCommand.class, RuntimeCommand.class, DemoCommand.class,
            AgentCommand.class, MonitorCommand.class, ClusterCommand.class},
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

    static int run(String... args) {
        return new CommandLine(new Hpctl()).setExecutionExceptionHandler(new Failures()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
