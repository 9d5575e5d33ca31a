package io.hostpub.cli;

import io.hostpub.admin.api.locate.InstanceRef;
import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.admin.api.model.PoolInfo;
import io.hostpub.runtime.config.RuntimeConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hpctl show NAME}: one instance in detail. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one instance: JVM, pools and connections, recent events.")
final class ShowCommand implements Callable<Integer> {

    @Mixin
    MachineOptions machine;

    @Parameters(index = "0", paramLabel = "NAME", description = "instance name ('main' = the supervisor)")
    String name;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
        RuntimeConfig config = machine.config();
        var address = machine.address(config);
        var located = machine.locator(config).locate(address);
        InstanceRef ref = name.equals("main") ? located.main() : located.instance(name).orElse(null);
        if (ref == null) {
            throw new Failures.NoSuchInstanceException("no instance named '" + name + "' on " + located.address());
        }
        return output.print(ref.admin().detail(), ShowCommand::print);
    }

    private static void print(InstanceDetail d, PrintWriter out) {
        var s = d.summary();
        out.printf("%s  %s  pid %d  up %s  started %s  licenses %d%n", s.name(), s.role(), s.pid(),
                InstancesCommand.uptime(s.uptimeMs()), s.startedAt(), s.licensesInUse());
        out.printf("container %s  http %s%n", s.container() == null ? "-" : s.container(), s.httpPorts());
        var j = d.jvm();
        out.printf("jvm %s (%s) on %s, %d cpus, heap %d/%d MiB, %d threads%n", j.version(), j.vendor(), j.host(),
                j.cpus(), j.heapUsedBytes() >> 20, j.heapMaxBytes() >> 20, j.threads());
        for (var a : d.applications()) {
            out.printf("application %s  (%s)  %d servlets  %d sessions%n", a.contextPath().isEmpty() ? "/"
                    : a.contextPath(), a.displayName(), a.servlets(), a.activeSessions());
        }
        for (PoolInfo p : d.pools()) {
            out.printf("%npool %s  %s  max %d  active %d  idle %d  waiting %d%n", p.name(), p.url(), p.maxSize(),
                    p.active(), p.idle(), p.waiting());
            out.printf("  %-6s %-8s %10s  %s%n", "ID", "STATE", "AGE", "LAST USED");
            for (ConnectionInfo c : p.connections()) {
                out.printf("  %-6d %-8s %10s  %s%n", c.id(), c.state(), InstancesCommand.uptime(c.ageMs()),
                        c.lastUsedAt());
            }
        }
        out.printf("%nrecent events%n");
        for (EventInfo e : d.events()) {
            out.printf("  %s %-12s %s%n", e.at(), e.kind(), e.message());
        }
    }
}
