package io.hostpub.cli;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.Main;
import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Stores;
import io.hostpub.coordinator.view.ClusterView;
import io.hostpub.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hpctl cluster [--json]}: the monitoring hierarchy with states and statistics. */
@Command(name = "cluster", mixinStandardHelpOptions = true, subcommands = {ShutdownCommand.class,
        StartCommand.class, ApplyCommand.class, ScaleCommand.class, RepairJournalCommand.class},
        description = "Print the cluster hierarchy (coordinators, agents, jobs) with states and statistics.")
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--json", description = "print JSON (the same document as GET /hpadmin/api/cluster)")
    boolean json;

    @Option(names = "--locate", paramLabel = "JOB",
            description = "print where JOB (application/member) runs: node, address, HTTP port, pid; exit 1 if nowhere")
    String locate;

    @Override
    public Integer call() throws Exception {
        Path home = InstallationPaths.fromEnvironment().home();
        ClusterPlan plan = plan(home);
        ClusterClient client = ClusterWire.of(plan, secret(home)).client(Duration.ofSeconds(1));
        try (CoordinatorStore store = Stores.openForReading(plan, home)) {
            ClusterReport report = new ClusterView(plan, store, client, Clock.systemUTC(), Duration.ofSeconds(2))
                    .report();
            if (locate != null) {
                var where = report.locate(locate);
                if (where.isEmpty()) {
                    System.err.println("hpctl: job " + locate + " runs nowhere now");
                    return Hpctl.FAILED;
                }
                System.out.println(json ? Json.writePretty(where.get()) : where.get().job() + " on " + where.get().node()
                        + " " + where.get().address() + (where.get().httpPort() == 0 ? "" : ":"
                        + where.get().httpPort()) + " pid " + where.get().pid() + " " + where.get().state());
                return Hpctl.OK;
            }
            System.out.print(json ? Json.writePretty(report) + "\n" : ClusterView.render(report));
            return Hpctl.OK;
        }
    }

    /** The installation secret; a missing or unreadable one is a usage error saying where it should be. */
    static InstallationSecret secret(Path home) {
        Path file = home.resolve("conf").resolve("secret");
        try {
            return InstallationSecret.load(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read the installation secret " + file + ": " + e
                    + " (an agent creates it on its first start; on another machine, copy it from one of the"
                    + " installation's, mode 0600)", e);
        }
    }

    /** The installation's plan; a missing or bad one is a usage error (exit 2) naming the file and the problem. */
    static ClusterPlan plan(Path home) {
        try {
            return ClusterPlan.load(home);
        } catch (IOException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }
}
