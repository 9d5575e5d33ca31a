package io.hostpub.cli;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.runtime.config.RuntimeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hpctl instances}: the machine's instances, as a table or the API's JSON. */
@Command(name = "instances", mixinStandardHelpOptions = true,
        description = "List the instances of a machine (same data as GET /hpadmin/api/instances).")
final class InstancesCommand implements Callable<Integer> {

    @Mixin
    MachineOptions machine;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
        RuntimeConfig config = machine.config();
        var address = machine.address(config);
        return output.print(machine.locator(config).view(address), InstancesCommand::print);
    }

    static void print(MachineView view, PrintWriter out) {
        out.printf("machine %s  supervisor %s  registry port %d  licenses %d/%s%n", view.machine(), view.supervisor(),
                view.registryPort(), view.licenses().inUse(),
                view.licenses().limit() == 0 ? "unlimited" : String.valueOf(view.licenses().limit()));
        String format = "%-24s %-12s %8s %10s %-20s %-12s %8s%n";
        out.printf(format, "NAME", "ROLE", "PID", "UPTIME", "CONTAINER", "HTTP", "LICENSES");
        for (InstanceSummary i : view.instances()) {
            out.printf(format, i.name(), i.role() + (i.role() == Role.SUPERVISOR ? "*" : ""), i.pid(),
                    uptime(i.uptimeMs()), i.container() == null ? "-" : i.container(),
                    i.httpPorts().isEmpty() ? "-"
                            : i.httpPorts().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    i.licensesInUse());
        }
    }

    static String uptime(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() > 0) {
            return d.toHours() + "h" + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m" + d.toSecondsPart() + "s";
        }
        return d.toSeconds() + "." + (d.toMillisPart() / 100) + "s";
    }
}
