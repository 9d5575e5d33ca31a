package io.hostpub.cli;

import io.hostpub.admin.api.wire.InstallationPaths;
import io.hostpub.coordinator.Main;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.store.JournalRepair;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code hpctl cluster repair-journal}: the explicit repair of a damaged embedded store. The store refuses to run on a
 * journal with damage inside it; this keeps the intact records before the damage and sets the rest aside in a file
 * next to it, so the operator decides, not the store.
 */
@Command(name = "repair-journal", mixinStandardHelpOptions = true,
        description = {"Repair the embedded cluster store's journal after damage inside it: keep the records before "
                + "the first damaged one, set everything after aside in store.journal.damaged-OFFSET, and keep every "
                + "fencing epoch ever granted out of reach. Safe while agents and coordinators run (it takes the "
                + "machine lock); they replay the repaired journal. Re-post operator actions made after the damage."})
final class RepairJournalCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path home = InstallationPaths.fromEnvironment().home();
        ClusterPlan plan = ClusterCommand.plan(home);
        if (plan.store().kind().equals("zookeeper")) {
            throw new Main.UsageException("this installation's cluster store is ZooKeeper (" + plan.store().connect()
                    + "): it keeps its own checksums and logs; there is no journal to repair");
        }
        JournalRepair.Report report = JournalRepair.repair(home.resolve("coordinator"));
        if (report.setAside() == null) {
            System.out.println(report.journal() + ": intact (" + report.recordsKept() + " records); nothing changed");
            return Hpctl.OK;
        }
        System.out.println(report.journal() + ": damaged at offset " + report.damagedAt() + "; kept "
                + report.recordsKept() + " records before it; set " + report.bytesSetAside() + " bytes aside in "
                + report.setAside());
        report.floorsRaised().forEach((scope, epoch) -> System.out.println("  fencing epoch of " + scope
                + " stays above " + epoch));
        System.out.println("Check holds, drains and plan changes made after the damage: they may have to be made"
                + " again.");
        return Hpctl.OK;
    }
}
